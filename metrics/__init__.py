"""Metrics layer (指标层): rates, 序时进度, 滞后, rankings and exports computed from the warehouse views.

No Streamlit here: pages only lay out what these functions return. Every figure is a pandas frame
or a frozen dataclass with English names; rates are fractions (0.5 = 50%), money is 万元.
"""

from metrics.db import Warehouse, WarehouseUnavailable, resolve_db_path
from metrics.filters import Filters

__all__ = ["Filters", "Warehouse", "WarehouseUnavailable", "resolve_db_path"]
