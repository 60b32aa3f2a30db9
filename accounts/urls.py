from django.urls import path

from accounts import snapshot_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("export.csv", views.account_export, name="export"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/tree/", views.account_tree_rows, name="tree"),
    path("<int:pk>/history/", views.account_history, name="history"),
    path("<int:pk>/whitespace/", views.account_whitespace, name="whitespace"),
    path("<int:pk>/edit/", views.account_edit, name="edit"),
    path("<int:pk>/move/", views.account_move, name="move"),
    path("<int:pk>/archive/", views.account_archive, name="archive"),
    path("<int:pk>/restore/", views.account_restore, name="restore"),
    path("<int:pk>/figures/", views.account_figures, name="figures"),
    path("<int:pk>/team/", views.team_add, name="team_add"),
    path("<int:pk>/team/<int:member_pk>/remove/", views.team_remove, name="team_remove"),
    path("<int:pk>/recompute/", snapshot_views.recompute, name="recompute"),
    path("<int:pk>/recompute/status/", snapshot_views.recompute_status, name="recompute_status"),
]
