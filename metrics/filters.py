"""The dashboard's shared filter state as a value object (年份, 月份, 地区, 责任单位, 类别)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from metrics.config import CITY_LABEL


@dataclass(frozen=True)
class Filters:
    """What the user is looking at. `region=None` means 全市 (all regions summed).

    Figures are cumulative to the end of `month` of `year` (截至X月底累计).
    """

    year: int
    month: int
    region: str | None = None
    department: str | None = None
    category: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= int(self.month) <= 12:
            raise ValueError(f"月份应为 1–12，收到 {self.month}")
        # "全市" and blank choices mean no narrowing; normalised so cache keys agree
        for name in ("region", "department", "category"):
            value = getattr(self, name)
            if value is not None and (not str(value).strip() or str(value) == CITY_LABEL):
                object.__setattr__(self, name, None)

    def params(self) -> dict[str, object]:
        """The named SQL parameters ($year, $month, $region, $department, $category)."""
        return asdict(self)

    def with_month(self, month: int) -> Filters:
        """The same view for another month of the same year."""
        return Filters(self.year, month, self.region, self.department, self.category)
