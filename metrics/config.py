"""Settings of the metrics layer, kept in one place so that pages, bulletin and tests agree."""

from __future__ import annotations

from warehouse import model

# 滞后 severity, in percentage points behind 序时进度: under 10 is 黄, 10 to 30 (both inclusive)
# is 橙, over 30 is 红. The gap is judged as displayed (rounded to 0.1 point) so that the label
# always agrees with the figure a user reads.
SEVERITY_THRESHOLDS: tuple[float, float] = (10.0, 30.0)
SEVERITY_LABELS: tuple[str, str, str] = ("黄", "橙", "红")
SEVERITY_KEYS: dict[str, str] = {"黄": "yellow", "橙": "orange", "红": "red"}
SEVERITY_COLOURS: dict[str, str] = {"黄": "#E0B000", "橙": "#E8730C", "红": "#C62828"}
# 通报用语 names an item only when it is at least this many points behind; smaller gaps are
# counted in one clause ("另有3项落后不足1个百分点"), as the 民生办 writes it by hand.
BULLETIN_MIN_GAP_POINTS: float = 1.0
# The headline names the regions with the most lagging items, at most this many.
HEADLINE_REGIONS: int = 3

# A project's 完成率 is the mean of its indicators' 完成率, each capped at 100%, so that one
# indicator far above target (seed 003 has 830%) cannot hide a lagging sibling.
COMPLETION_CAP: float = 1.0

# Progress index (进度指数) used for rankings when no 考评 sheet was loaded: each indicator counts
# as min(完成率 / 序时进度, INDEX_CAP), so running ahead earns a little but cannot mask lagging.
INDEX_CAP: float = 1.2

# The contract's unit types and categories, defined once in the neutral vocabulary (warehouse.model).
UNIT_TYPES: tuple[str, ...] = model.UNIT_TYPES
CATEGORIES: tuple[str, ...] = model.CATEGORIES

# The label of the whole city in filters and total rows.
CITY_LABEL: str = "全市"
NO_DEPARTMENT_LABEL: str = "未填责任单位"

# 督办台账 (data contract §5): the statuses in the order an item moves through them, and the
# three colours, worst first. The writer (etl.writing.supervision), the metrics and the CLI share them.
SUPERVISION_STATUSES: tuple[str, ...] = ("待整改", "整改中", "可销号", "已销号")
SUPERVISION_COLOURS: tuple[str, ...] = ("红", "蓝", "黄")

# 报送 (issue 19): who may send a month's report (UNIT_TYPES, above), the states a unit's month is shown in on the
# 报送情况 view, and the day of the next month by which it is due (1月 → 2月5日). A report first
# sent after that day is 逾期 for the 考评; the writer (etl.writing.submission) and the pages share these.
SUBMISSION_STATUSES: tuple[str, ...] = ("未报送", "待审核", "已退回", "已入库")
REPORT_DUE_DAY: int = 5
