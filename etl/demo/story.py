"""The story the demo year tells, so anyone can check the charts against it.

The generator reads its twists from here, and the tests check that each shows in the loaded
views; DEMO_STORY is the same story in words for the README and the dashboard.
"""

from __future__ import annotations

SEED = 20250101
YEAR = 2025
# (year, month) of every monthly report: all of 2025 and the first quarter of 2026.
PERIODS: tuple[tuple[int, int], ...] = tuple((YEAR, m) for m in range(1, 13)) + tuple(
    (YEAR + 1, m) for m in range(1, 4)
)

# 工程类 路线图: the published cumulative share (%) due at each month end ("10月份基本完成").
ENGINEERING_PLAN = (0, 0, 5, 15, 30, 40, 55, 70, 85, 95, 100, 100)
# 水利薄弱环节治理 has its own, later plan (flood season stops work in summer).
WATER_PROJECT = "29"
WATER_PLAN = (0, 0, 5, 10, 20, 30, 40, 50, 65, 80, 95, 100)

# One county falls behind mid-year and recovers: its progress is scaled by these factors.
LAGGING_REGION = "西山区"
LAGGING_FACTORS = {5: 0.8, 6: 0.72, 7: 0.7, 8: 0.72, 9: 0.9}

# One county's report never arrived.
MISSING_REPORT = ("北岭县", YEAR, 4)

# A clerk dropped a digit: the cumulative figure falls below the month before, then is right again.
TYPO = {
    "region": "青阳县",
    "year": YEAR,
    "month": 8,
    "project_code": "19",
    "indicator": "城乡居民医保参保",
}

# Far above target, like seed 003's 困难职工生活救助 830%: two counties count every applicant
# (~16× their target), the others stay near 2.4×; the city as a whole reaches ~840%.
OVER_TARGET = ("18-3", "困难职工生活救助")
OVER_TARGET_OUTCOMES = {"南溪县": 16.0, "北岭县": 16.5}
OVER_TARGET_OTHERS = 2.4

# A district's finance bureau paid ahead of the funds' arrival once (拨付 > 到位: a warning).
ADVANCE_PAYMENT = {"region": "示例经开区", "year": YEAR, "month": 6, "project_code": "31"}

# Two counties share a rank: 1.448 + 0.05 ties 1.498 (the views compare at 3 decimals).
SCORE_TIE = {"year": YEAR, "month": 9, "units": ("东湖区", "南溪县"), "score": 1.498}

# Indicators that run late all year (project code, indicator).
CHRONIC_LAGGING = (
    ("4", "农村公路扩面延伸工程完工"),
    ("11", "农村户厕改造完工"),
    ("11", "农村公厕建设完工"),
    ("18-3", "困难职工子女助学"),
    ("29", "中小河流治理完工"),
    ("29", "排涝泵站建设完工"),
    ("29", "中小河流治理投资完成"),
)

# The 督办台账 the 民生办 kept (etl.demo.ledger writes it after the loads, at these fixed times).
DEMO_LEDGER = {
    "clerk": "王敏",
    # 整改 notes: (project code, indicator) or 西山区 → (text, who), recorded two weeks after
    # the items of a month were opened (note_days: the month opened for → the day)
    "notes": {
        ("4", "农村公路扩面延伸工程完工"): ("已召开农村公路建设推进会，倒排工期，每周调度进度", "市交通局"),
        ("11", "农村户厕改造完工"): ("已下达分县任务清单，组织施工队伍集中攻坚", "市农业农村局"),
        ("29", "排涝泵站建设完工"): ("汛期停工，汛后集中施工，已增加施工队伍", "市水利局"),
        "西山区": ("已成立工作专班逐项推进，9月起加快进度", "西山区民生办"),
    },
    "note_days": {6: "2025-07-25", 8: "2025-09-24"},
    # 2026年2月: 社区养老服务站建设 everywhere, 校舍维修改造 where it is ≥ this many points behind
    "2026_items": ("16", "社区养老服务站建设", "25", 15.5),
    "2026_note": ("已完成站点选址，4月底前全部开工建设", "市民政局", "2026-03-25"),
}  # fmt: skip

DEMO_STORY = """\
**示例市 2025年民生工程（示例数据）**：6个县区（东湖区、西山区、南溪县、北岭县、青阳县、示例经开区），
22个市直责任单位，33项民生工程（含子项共41个项目编号、约80个指标），2025年1—12月及2026年1—3月月报。

- **工程类** 前低后高：按市里公布的工程类序时计划（1月0%、3月5%、6月40%、9月85%、10月95%、11月100%）推进；
  水利薄弱环节治理（29）另有项目计划（汛期放缓，12月100%）。补助类集中在3、6、9月成批发放；
  参保服务类年初即基本完成；培训类按期次阶梯式推进。
- **长期滞后**：“四好农村路”农村公路扩面延伸工程完工（市交通局）、农村改厕（户厕、公厕，市农业农村局）、
  水利薄弱环节治理（中小河流治理完工、排涝泵站建设完工、投资完成，市水利局）全年低于序时进度；
  困难职工子女助学（市总工会）全年完成率仅三成左右。
- **县区掉队又追上**：西山区5—8月多数项目进度明显放缓（8月滞后指标最多），9月起追赶，10月回到序时进度；
  其考评得分5—8月同步走低。
- **远超目标**：困难职工帮扶（18-3）困难职工生活救助全市年底完成率约840%，其中南溪县、北岭县超过1500%
  （载入时提示完成率超过300%）；2026年市里据此调高了目标。
- **缺报**：北岭县2025年4月月报未报送（该月无北岭县数据），4月考评扣0.1分。
- **录入错误**：青阳县2025年8月月报把城乡居民医保参保累计数少录一位（低于7月），载入时提示警告，9月已更正。
- **表样**：青阳县2025年1—4月合并了地区、项目单元格，全年以带千分位的文本填数；西山区表头含全角空格和全角括号；南溪县资金表带“合计”行；
  北岭县5、6月的Excel把子项编号12-1等变成了日期；各县多有标题行、填报人等表尾行，均按数据约定正常载入。
- **资金**：示例经开区6月城镇老旧小区改造拨付资金超过到位资金（先行垫付，载入时提示警告）；
  北岭县资金表以“元”填报，示例经开区2025年12月起以“亿元”填报，载入时统一换算为万元。
- **考评**：每月县区、市直单位得分1.3—1.5分左右，含加扣分及原因（信息被省民生工程网站采用加0.05分、
  未按时报送资金报表扣0.05分、部分项目点未使用民生工程标识牌扣0.05分等）；
  2025年9月东湖区与南溪县得分同为1.498，并列第1名。
- **新年度**：2026年1—3月目标更新、累计数从零开始。
- **督办台账**：民生办（王敏）2025年5月为北岭县4月月报未报送下发督办（督查发现），6月6日销号；6月、8月通报后
  为落后超过30个百分点（红）的县区指标下发督办（15项）——困难职工子女助学（市总工会，6个县区）、农村改厕、
  农村公路、排涝泵站和西山区放缓的项目，市交通局、市农业农村局、市水利局和西山区报来整改情况；
  西山区农贸市场快检室建设赶上序时进度后于11月14日复核销号，青阳县8月医保参保录入错误引出的一项9月更正后即“可销号”，留待复核；
  其余长期滞后的事项至今未销号（已过整改期限，红）。2026年2月通报后为社区养老服务站建设（市民政局，各县区）和
  校舍维修改造落后最多的南溪县、青阳县下发督办，市民政局报来整改情况。
"""
