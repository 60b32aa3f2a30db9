from django.db import models
from treebeard.mp_tree import MP_Node


class AdjNode(models.Model):
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children", db_index=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    ownership_share = models.DecimalField(max_digits=7, decimal_places=4, null=True)

    class Meta:
        app_label = "tree_models"


class MPNode(MP_Node):
    # steplen=4 (default), path max_length=255 (default) -> up to 63 levels
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    ownership_share = models.DecimalField(max_digits=7, decimal_places=4, null=True)

    class Meta:
        app_label = "tree_models"
