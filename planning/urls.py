from django.urls import path

from planning import activity_views, request_views, task_views, views

app_name = "planning"
urlpatterns = [
    # plans, objectives, the board (views.py)
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan_history"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/capacity/", views.plan_capacity, name="plan_capacity"),
    path("plans/<int:pk>/objectives/new/", views.objective_create, name="objective_create"),
    path("plans/objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("plans/objectives/<int:pk>/delete/", views.objective_delete, name="objective_delete"),
    path("plans/orchestra/<int:account_pk>/", views.orchestra, name="orchestra"),
    path("plans/for/<int:account_pk>/", views.account_plan, name="account_plan"),
    # activities and the hand-off (activity_views.py)
    path("plans/<int:pk>/activities/new/", activity_views.activity_create, name="activity_create"),
    path("plans/<int:pk>/people/", activity_views.people_options, name="people_options"),
    path("plans/activities/<int:pk>/", activity_views.activity_detail, name="activity_detail"),
    path("plans/activities/<int:pk>/edit/", activity_views.activity_edit, name="activity_edit"),
    path("plans/activities/<int:pk>/assign/", activity_views.activity_assign, name="activity_assign"),
    path("plans/activities/<int:pk>/decline/", activity_views.activity_decline, name="activity_decline"),
    path(
        "plans/activities/<int:pk>/<str:action>/",
        activity_views.activity_step,
        name="activity_step",
    ),
    # requests and triage (request_views.py)
    path("plans/triage/", request_views.triage_queue, name="triage"),
    path("plans/requests/new/", request_views.request_create, name="request_create"),
    path("plans/requests/<int:pk>/", request_views.request_detail, name="request_detail"),
    path("plans/requests/<int:pk>/history/", request_views.request_history, name="request_history"),
    path("plans/requests/<int:pk>/accept/", request_views.request_accept, name="request_accept"),
    path("plans/requests/<int:pk>/decline/", request_views.request_decline, name="request_decline"),
    path("plans/requests/<int:pk>/reopen/", request_views.request_reopen, name="request_reopen"),
    # my tasks, notifications, capacity, calendar (task_views.py)
    path("tasks/", task_views.my_tasks, name="my_tasks"),
    path("tasks/notifications/", task_views.notifications_badge, name="notifications_badge"),
    path("tasks/notifications/read/", task_views.notifications_read, name="notifications_read"),
    path("tasks/capacity/", task_views.capacity_update, name="capacity_update"),
    path("tasks/calendar/reset/", task_views.calendar_reset, name="calendar_reset"),
    path("tasks/calendar/<str:token>.ics", task_views.calendar_feed, name="calendar_feed"),
]
