"""The fictional 示例市: its county-level units, city departments and the year's 民生工程.

Modelled on the seeds (003: 芜湖 2020 6月小结, 004: a 9月 ranking bulletin): the same kinds of
projects, sub-codes (12-1, 15-2 …), units and target sizes, scaled to a city of ~1.2 million.
Every name here is invented; none is a real place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A county-level unit (县区) that sends its own monthly report file."""

    name: str
    kind: str  # "district" (区), "county" (县) or "zone" (经开区): decides which projects it runs
    weight: float  # share of the city's targets and funds it carries


REGIONS: tuple[Region, ...] = (
    Region("东湖区", "district", 0.16),
    Region("西山区", "mixed", 0.15),
    Region("南溪县", "county", 0.22),
    Region("北岭县", "county", 0.20),
    Region("青阳县", "county", 0.19),
    Region("示例经开区", "zone", 0.08),
)

# Which region kinds run a project of each scope.
SCOPES: dict[str, frozenset[str]] = {
    "all": frozenset({"district", "mixed", "county", "zone"}),
    "rural": frozenset({"mixed", "county"}),
    "county": frozenset({"county"}),
    "urban": frozenset({"district", "mixed", "zone"}),
    "no_zone": frozenset({"district", "mixed", "county"}),
}


@dataclass(frozen=True)
class Indicator:
    """A measured task (指标) with its city-wide 2025 target (年度目标).

    shape overrides the project's 类别 curve ("rate" for a percentage held through the year,
    "steady" for a count reached in January, or another 类别's curve); outcome is the year-end
    completion the city reaches (1.0 = on target); chronic indicators also run late all year.
    """

    name: str
    unit: str
    target: float
    shape: str | None = None
    outcome: float = 1.02
    chronic: bool = False
    lead: float = 0.0  # months ahead of its project's curve (开工 runs before 完工)


@dataclass(frozen=True)
class Project:
    code: str
    name: str
    department: str
    category: str
    scope: str
    budget: float  # 计划投入 for the whole city in 2025, 万元
    indicators: tuple[Indicator, ...]


I = Indicator  # noqa: E741 - keeps the table below readable

PROJECTS: tuple[Project, ...] = (
    Project("1", "特色产业帮扶工程", "市农业农村局", "补助类", "rural", 6200, (
        I("特色种养业扶持", "户", 6800),
        I("新型经营主体带动农户", "户", 9500, outcome=1.11),
    )),
    Project("2", "驻村帮扶工作保障", "市委组织部", "补助类", "rural", 58, (
        I("驻村工作队工作经费拨付", "万元", 58, outcome=1.0),
    )),
    Project("3", "资产收益帮扶", "市财政局", "补助类", "county", 3100, (
        I("收益分配惠及农户", "户", 5200),
    )),
    Project("4", "“四好农村路”建设", "市交通局", "工程类", "no_zone", 42000, (
        I("农村公路扩面延伸工程开工", "公里", 420, lead=1.5),
        I("农村公路扩面延伸工程完工", "公里", 420, outcome=0.86, chronic=True),
        I("县乡公路大中修完工", "公里", 96),
    )),
    Project("5", "农村危房改造", "市住建局", "工程类", "rural", 1980, (
        I("危房改造开工", "户", 495, lead=2.0),
        I("危房改造竣工", "户", 495, outcome=1.0),
    )),
    Project("6", "农村供水保障工程", "市水利局", "工程类", "county", 9600, (
        I("供水保障工程完工", "处", 9, outcome=1.0),
        I("受益人口", "人", 120000),
    )),
    Project("7", "健康帮扶综合医疗保障", "市医保局", "补助类", "all", 2400, (
        I("综合医疗保障待遇享受", "人次", 88000),
        I("门诊慢特病补充保障", "人次", 52000, outcome=1.05),
    )),
    Project("8", "残疾人康复救助", "市残联", "补助类", "all", 1850, (
        I("精神残疾人药费补助", "人", 4504, outcome=2.05),
        I("残疾儿童康复训练救助", "人", 590, outcome=1.48),
        I("儿童辅助器具适配", "人", 85, outcome=1.07),
    )),
    Project("9", "城乡困难群体法律援助", "市司法局", "其他", "all", 420, (
        I("办理法律援助案件", "件", 2600),
    )),
    Project("10", "农产品质量安全追溯", "市农业农村局", "其他", "rural", 380, (
        I("新培育绿色有机农产品", "个", 49, outcome=1.3),
        I("规模经营主体产品追溯", "个", 49, outcome=1.45),
    )),
    Project("11", "农村改厕及资源化利用", "市农业农村局", "工程类", "rural", 7200, (
        I("农村户厕改造完工", "户", 12000, outcome=0.82, chronic=True),
        I("农村公厕建设完工", "座", 60, outcome=0.9, chronic=True),
    )),
    Project("12-1", "美丽乡村中心村建设", "市农业农村局", "工程类", "rural", 12000, (
        I("省级中心村建设", "个", 24),
    )),
    Project("12-2", "农村生活垃圾治理", "市城管执法局", "其他", "rural", 1600, (
        I("非正规垃圾堆放点整治", "处", 36),
        I("农村生活垃圾无害化处理率", "%", 70, shape="rate", outcome=1.08),
    )),
    Project("12-3", "农村生活污水治理", "市生态环境局", "工程类", "rural", 5400, (
        I("乡镇污水处理设施建设", "座", 18),
    )),
    Project("13", "就业创业促进", "市人社局", "其他", "all", 5200, (
        I("公益性岗位开发", "个", 2800, shape="参保服务类", outcome=0.98),
        I("就业见习", "人", 1171, shape="培训类"),
        I("高校毕业生求职创业补贴", "人", 3200, shape="补助类"),
    )),
    Project("14", "农村电商提质增效", "市商务局", "其他", "rural", 900, (
        I("电商示范村培育", "个", 20),
        I("农村电商服务站点提升", "个", 120),
    )),
    Project("15-1", "高素质农民培训", "市农业农村局", "培训类", "rural", 480, (
        I("高素质农民培训", "人", 1430, outcome=1.04),
    )),
    Project("15-2", "职业技能提升培训", "市人社局", "培训类", "all", 3600, (
        I("企业新录用人员岗前技能培训", "人次", 14500),
        I("新技工系统培养", "人", 2400, outcome=1.0),
    )),
    Project("15-3", "退役军人技能培训", "市退役军人局", "培训类", "all", 260, (
        I("退役军人技能培训", "人", 749, outcome=1.15),
    )),
    Project("16", "养老服务体系建设", "市民政局", "补助类", "all", 5600, (
        I("高龄津贴发放", "人", 42000, shape="参保服务类", outcome=1.0),
        I("低收入老年人养老服务补贴", "人", 9800),
        I("社区养老服务站建设", "个", 48, shape="工程类"),
    )),
    Project("17-1", "智慧医疗建设", "市卫健委", "其他", "all", 2600, (
        I("基层医疗机构远程诊疗覆盖", "个", 96),
    )),
    Project("17-2", "“城市码”便民应用工程", "市数据资源局", "其他", "urban", 800, (
        I("政务服务场景接入", "个", 60),
    )),
    Project("18-1", "城乡医疗救助", "市医保局", "参保服务类", "all", 6900, (
        I("资助困难群众参保", "人", 69000),
    )),
    Project("18-2", "城乡低保和特困供养", "市民政局", "补助类", "all", 31000, (
        I("农村低保保障", "人", 26000, shape="参保服务类", outcome=0.99),
        I("特困人员供养", "人", 6500, shape="参保服务类", outcome=1.01),
        I("孤儿基本生活保障", "人", 260, shape="steady", outcome=1.0),
    )),
    Project("18-3", "困难职工帮扶", "市总工会", "补助类", "all", 640, (
        I("困难职工生活救助", "户", 43, outcome=1.1),  # 2025: see story.OVER_TARGET_OUTCOMES
        I("困难职工子女助学", "户", 120, outcome=0.35, chronic=True),
        I("患病职工医疗救助", "户", 53, outcome=1.1),
    )),
    Project("19", "城乡居民基本医疗保险", "市医保局", "参保服务类", "all", 76700, (
        I("城乡居民医保参保", "人", 1180000, outcome=1.01),
    )),
    Project("20", "城乡居民大病保险", "市医保局", "参保服务类", "all", 9800, (
        I("大病保险待遇享受", "人次", 12800, shape="其他"),
    )),
    Project("21", "城乡居民基本养老保险", "市人社局", "参保服务类", "all", 28000, (
        I("当年缴费人数", "人", 320000, outcome=0.97),
        I("待遇领取人数", "人", 185000, outcome=1.0),
    )),
    Project("22", "妇幼健康和职业病防治", "市卫健委", "其他", "all", 1400, (
        I("免费婚前健康检查", "人", 12800),
        I("免疫规划接种", "剂次", 280000),
        I("职业病监测信息上报", "条", 6500, outcome=1.4),
    )),
    Project("23", "出生缺陷防治", "市卫健委", "其他", "all", 900, (
        I("产前筛查率", "%", 50, shape="rate", outcome=1.2),
        I("孕妇咨询随访率", "%", 80, shape="rate", outcome=1.22),
    )),
    Project("24", "学前教育促进", "市教体局", "工程类", "all", 8800, (
        I("公办幼儿园新建改扩建", "所", 25),
        I("资助幼儿", "人次", 2276, shape="补助类", outcome=1.07),
        I("幼儿教师培训", "人次", 159, shape="培训类", outcome=1.8),
    )),
    Project("25", "义务教育经费保障", "市教体局", "补助类", "all", 21000, (
        I("家庭经济困难寄宿生生活补助", "人", 12120, outcome=1.15),
        I("校舍维修改造", "平方米", 152100, shape="工程类"),
    )),
    Project("26", "家庭经济困难学生资助", "市教体局", "补助类", "all", 4300, (
        I("中职免学费补助", "人", 16856),
        I("普通高中国家助学金", "人", 10155, outcome=1.06),
    )),
    Project("27", "文化惠民工程", "市文旅局", "其他", "all", 1100, (
        I("“送戏进万村”演出", "场", 704),
        I("农村体育健身活动", "次", 704),
        I("公共文化场馆免费开放", "个", 95, shape="steady", outcome=1.0),
    )),
    Project("28", "水环境生态补偿", "市生态环境局", "其他", "no_zone", 550, (
        I("生态补偿资金兑付", "万元", 550, shape="补助类", outcome=1.0),
    )),
    Project("29", "水利薄弱环节治理", "市水利局", "工程类", "no_zone", 18600, (
        I("中小河流治理完工", "公里", 38, outcome=0.84, chronic=True),
        I("排涝泵站建设完工", "座", 12, outcome=0.75, chronic=True),
        I("中小河流治理投资完成", "万元", 8600, outcome=0.88, chronic=True),
    )),
    Project("30", "棚户区改造", "市住建局", "工程类", "urban", 52000, (
        I("棚户区改造新开工", "套", 1600, lead=1.0),
        I("棚户区改造基本建成", "套", 1500, outcome=0.95),
    )),
    Project("31", "城镇老旧小区改造", "市住建局", "工程类", "urban", 39560, (
        I("改造老旧小区", "个", 85),
        I("惠及住户", "户", 24000),
        I("老旧小区改造投资完成", "万元", 39560, outcome=0.98),
    )),
    Project("32-1", "民生综合保险", "市财政局", "参保服务类", "all", 1560, (
        I("民生综合保险参保", "人", 520000, outcome=1.0),
    )),
    Project("32-2", "困难老年人意外伤害保险", "市民政局", "参保服务类", "all", 190, (
        I("困难老年人意外伤害保险参保", "人", 38000),
    )),
    Project("33", "食品安全工程", "市市场监管局", "其他", "all", 1300, (
        I("食品安全抽检", "批次", 6800, outcome=1.06),
        I("农贸市场快检室建设", "个", 40, shape="工程类"),
    )),
)  # fmt: skip

# 市直责任单位 scored each month: every lead department above, plus one that only takes part.
DEPARTMENTS: tuple[str, ...] = (*dict.fromkeys(p.department for p in PROJECTS), "市应急局")

# Units counted in whole numbers; others are reported with decimals.
WHOLE_UNITS = frozenset({"个", "户", "人", "人次", "件", "处", "座", "所", "套", "场", "次", "剂次", "条", "批次"})  # fmt: skip


def regions_of(project: Project) -> list[Region]:
    """The county-level units that run this project."""
    kinds = SCOPES[project.scope]
    return [r for r in REGIONS if r.kind in kinds]
