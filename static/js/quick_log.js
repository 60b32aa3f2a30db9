// quick-log
