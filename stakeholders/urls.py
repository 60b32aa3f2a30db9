from django.urls import path

from stakeholders import account_views, interaction_views, views
from stakeholders.alerts import views as alert_views

app_name = "stakeholders"
urlpatterns = [
    # people (views.py)
    path("", views.stakeholder_list, name="list"),
    path("new/", views.stakeholder_create, name="create"),
    path("options/", views.select_options, name="options"),
    path("<int:pk>/", views.stakeholder_detail, name="detail"),
    path("<int:pk>/edit/", views.stakeholder_edit, name="edit"),
    path("<int:pk>/move/", views.stakeholder_move, name="move"),
    path("<int:pk>/delete/", views.stakeholder_delete, name="delete"),
    path("<int:pk>/history/", views.stakeholder_history, name="history"),
    path("<int:pk>/gives/", views.give_add, name="give_add"),
    path("gives/<int:pk>/delete/", views.give_delete, name="give_delete"),
    path("<int:pk>/links/", views.link_add, name="link_add"),
    path("links/<int:pk>/delete/", views.link_delete, name="link_delete"),
    # the people sections of an account page (account_views.py)
    path("in/<int:account_pk>/", account_views.account_people, name="account_people"),
    path("in/<int:account_pk>/timeline/", account_views.account_timeline, name="account_timeline"),
    # contacts: quick-log, type-ahead (interaction_views.py)
    path("log/<int:account_pk>/", interaction_views.quick_log, name="quick_log"),
    path("search/<int:account_pk>/", interaction_views.people_search, name="people_search"),
    path("interactions/<int:pk>/edit/", interaction_views.interaction_edit, name="interaction_edit"),
    path("interactions/<int:pk>/delete/", interaction_views.interaction_delete, name="interaction_delete"),
    path("interactions/<int:pk>/history/", interaction_views.interaction_history, name="interaction_history"),
    # relationship alerts (alerts/views.py)
    path("alerts/", alert_views.alert_list, name="alerts"),
    path("alerts/<int:pk>/resolve/", alert_views.alert_resolve, name="alert_resolve"),
]
