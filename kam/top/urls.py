from django.urls import path

from kam.top import views

urlpatterns = [
    path("", views.home, name="home"),
    path("portfolio/export.csv", views.portfolio_export, {"file_format": "csv"}, name="portfolio_export_csv"),
    path("portfolio/export.xlsx", views.portfolio_export, {"file_format": "xlsx"}, name="portfolio_export_xlsx"),
]
