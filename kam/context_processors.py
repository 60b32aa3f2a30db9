from django.conf import settings


def kam(request) -> dict:
    return {"KAM_CURRENCY": settings.KAM_CURRENCY}
