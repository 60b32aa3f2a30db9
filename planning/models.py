# Models arrive with the relationships and planning issues.
