"""Everything under /api/: one router for all apps, token login, and the OpenAPI schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from kam import api as kam_api
from kam.top import api as top_api
from kam.top.search import api as search_api
from planning.api import activities, plans, requests
from stakeholders.alerts import api as alert_api
from stakeholders.api import contacts, people, relationships

router = DefaultRouter()
router.register("users", kam_api.UserViewSet, basename="user")
router.register("portfolio", top_api.PortfolioViewSet, basename="portfolio")
router.register("accounts", accounts_api.AccountViewSet, basename="account")
router.register("product-lines", accounts_api.ProductLineViewSet, basename="product-line")
router.register("revenues", accounts_api.RevenueViewSet, basename="revenue")
router.register("potentials", accounts_api.PotentialViewSet, basename="potential")
router.register("stakeholders", people.StakeholderViewSet, basename="stakeholder")
router.register("positions", people.PositionViewSet, basename="position")
router.register("influence-links", people.InfluenceLinkViewSet, basename="influence-link")
router.register("interactions", contacts.InteractionViewSet, basename="interaction")
router.register("gives", contacts.GiveViewSet, basename="give")
router.register("relationships", relationships.RelationshipViewSet, basename="relationship")
router.register("alerts", alert_api.AlertViewSet, basename="alert")
router.register("plans", plans.PlanViewSet, basename="plan")
router.register("objectives", plans.ObjectiveViewSet, basename="objective")
router.register("activities", activities.ActivityViewSet, basename="activity")
router.register("requests", requests.RequestViewSet, basename="request")
router.register("search", search_api.SearchViewSet, basename="search")

urlpatterns = [
    path("auth/token/", kam_api.ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include(router.urls)),
]
