"""The questions the checker asks: one record per profile field, defined once.

The browser form, the CLI's validation and the policy data's conditions all use
these ids. Ids are permanent, because people save and share profiles: add new
fields, never rename one (bump PROFILE_VERSION and add a migration instead).

Types: ``date`` (ISO date), ``enum`` (one of ``values``), ``set`` (any of
``values``), ``bool``, ``yuan`` (integer yuan, >= 0), ``count`` (integer >= 0),
``code`` (a string of digits).

A field whose meaning turned out wrong is never given a new meaning: it is
retired (``RETIRED``) and a new field asks the right question. A profile that
still carries a retired field is read, with a notice that its answer is no
longer used.
"""

from __future__ import annotations

PROFILE_VERSION = 1

DISTRICTS = [
    ("dongcheng", "东城区", "Dongcheng"),
    ("xicheng", "西城区", "Xicheng"),
    ("chaoyang", "朝阳区", "Chaoyang"),
    ("haidian", "海淀区", "Haidian"),
    ("fengtai", "丰台区", "Fengtai"),
    ("shijingshan", "石景山区", "Shijingshan"),
    ("mentougou", "门头沟区", "Mentougou"),
    ("fangshan", "房山区", "Fangshan"),
    ("tongzhou", "通州区", "Tongzhou"),
    ("shunyi", "顺义区", "Shunyi"),
    ("changping", "昌平区", "Changping"),
    ("daxing", "大兴区", "Daxing"),
    ("huairou", "怀柔区", "Huairou"),
    ("pinggu", "平谷区", "Pinggu"),
    ("miyun", "密云区", "Miyun"),
    ("yanqing", "延庆区", "Yanqing"),
]

# The form's sections, in order.
GROUPS = [
    ("basics", "基本情况", "About the organisation"),
    ("status", "身份与资质", "Programmes and status"),
    ("activities", "开展的业务", "What the organisation does"),
    ("spending", "年度采购支出", "Yearly purchases"),
    ("growth", "营收与研发", "Revenue and R&D"),
    ("achievements", "新取得的备案、认定与标准", "New filings, recognitions and standards"),
    ("projects", "项目投入", "Project investment"),
    ("funding", "已获上级资金", "Funding already received"),
    ("ecosystem", "孵化、投资与活动", "Incubation, investment and events"),
]


def _f(fid, ftype, group, zh, en, help_zh="", help_en="", **extra):
    field = {"id": fid, "type": ftype, "group": group,
             "label": {"zh": zh, "en": en}, "help": {"zh": help_zh, "en": help_en}}
    field["unit"] = {"yuan": "yuan", "count": "count"}.get(ftype)
    field.update(extra)
    return field


def _values(*triples):
    return [{"id": i, "zh": zh, "en": en} for i, zh, en in triples]


FIELDS = [
    # basics
    _f("as_of", "date", "basics", "评估日期", "Date of assessment",
       "按此日期判断政策是否有效，默认今天。", "Policies are checked against this date; today by default."),
    _f("district", "enum", "basics", "注册所在区", "District of registration",
       "企业工商注册所在的北京市辖区。", "The Beijing district where the organisation is registered.",
       values=_values(*DISTRICTS)),
    _f("industry_code", "code", "basics", "国民经济行业大类代码", "Industry major group (GB/T 4754)",
       "两位数字，例如 64（互联网和相关服务）、65（软件和信息技术服务业）。",
       "Two digits, e.g. 64 (internet and related services), 65 (software and IT services).",
       pattern="^[0-9]{2}$"),
    _f("entity_kinds", "set", "basics", "主体类型", "Kind of organisation",
       "可多选；默认为企业。", "Choose all that apply; an enterprise by default.",
       values=_values(
           ("enterprise", "企业", "Enterprise"),
           ("incubator", "孵化器", "Incubator"),
           ("park-operator", "产业园区运营主体", "Industrial park operator"),
           ("fund-manager", "基金管理人", "Fund manager"),
           ("association", "协会、学会、联盟等社会组织", "Association, society or alliance"),
           ("research-institute", "高校、科研机构或新型研发机构", "University or research institute"),
           ("financial-institution", "金融机构", "Financial institution"),
           ("data-center-operator", "数据（算力）中心运营方", "Data (computing) centre operator"),
       ), default=["enterprise"]),
    _f("above_designated_size", "bool", "basics", "规模以上企业", "Above designated size",
       "是否纳入规模以上统计。", "Whether the enterprise is counted as above designated size in official statistics."),
    # status
    _f("ai_partner", "bool", "status", "人工智能产业创新伙伴计划成员", "Member of the AI industry innovation partner programme"),
    _f("industrial_ai", "bool", "status", "工业智能企业", "Industrial-AI enterprise",
       "经认定的工业智能企业，部分措施比例和上限更高。",
       "An enterprise recognised as industrial-AI; some measures give it a higher rate or cap."),
    _f("industrial_project", "bool", "status", "申报项目属于工业领域", "The project is an industrial one",
       "工业大模型、工业智能体、工业可信数据空间或工业智能项目。",
       "An industrial large model, industrial agent, industrial trusted data space or industrial-AI project."),
    _f("newly_above_designated_size", "bool", "status", "本年度首次纳入规模以上统计", "Newly above designated size this year",
       "首次达规。", "First counted as above designated size (首次达规)."),
    _f("first_above_size_last_year", "bool", "status", "上年度首次纳入规模以上统计", "First counted as above designated size last year",
       "上一年度首次纳入规模以上统计（不是本年度）。", "First counted as above designated size in the previous year (not this year)."),
    _f("startup", "bool", "status", "初创企业", "Start-up",
       "文本未界定初创企业的标准，以申报通知为准。", "The text does not define a start-up; the call for applications does."),
    _f("excellent_incubator", "bool", "status", "人工智能领域部级卓越孵化器或市级标杆孵化器",
       "AI incubator rated (or being created) as a ministry-level excellent or municipal benchmark incubator",
       "所建设的孵化器已获评或正在创建部级卓越孵化器、市级标杆孵化器。",
       "The incubator you build is rated as, or is being created as, a ministry-level excellent incubator or a "
       "municipal benchmark incubator."),
    # activities: measures that fund an activity ask for it, so that a fixed "up to" amount
    # counts only for those who do it (unanswered stays unknown, never eligible by default).
    _f("activities", "set", "activities", "开展或计划申报的业务", "Activities carried out or applied for",
       "可多选；只勾选本企业实际开展、准备申报的。", "Choose all that apply: only what the organisation actually does or applies for.",
       values=_values(
           ("maas-platform", "建设或运营MaaS（模型即服务）平台", "Builds or runs a MaaS (model-as-a-service) platform"),
           ("model-rnd", "研发大模型或模型算法", "Develops large models or model algorithms"),
           ("industry-model", "研发行业（垂类）模型或行业解决方案", "Develops industry (vertical) models or solutions"),
           ("agents", "开发智能体", "Develops AI agents"),
           ("ai-devices", "研发或量产AI终端、智能硬件", "Develops or makes AI devices and intelligent hardware"),
           ("key-technology", "承担关键技术攻关项目（如揭榜挂帅）", "Undertakes key-technology projects (e.g. open competition)"),
           ("scenario-project", "建设人工智能应用场景或示范项目", "Builds AI application-scenario or demonstration projects"),
           ("service-platform", "建设产业创新服务、共性技术或中试平台", "Builds innovation-service, common-technology or pilot platforms"),
           ("supply-demand-platform", "搭建场景供需对接平台", "Runs a scenario supply-and-demand matching platform"),
           ("datasets", "建设并开放高质量数据集或语料库", "Builds and opens high-quality data sets or corpora"),
           ("data-governance", "开展数据治理项目", "Carries out data-governance projects"),
           ("software-upgrade", "软件产品智能化提升（智能技改）", "Upgrades software products with AI"),
           ("open-source", "实施共享开源项目", "Runs shared open-source projects"),
           ("industrial-park", "建设或运营特色产业园区", "Builds or runs an industrial park"),
           ("training", "组织人工智能培训", "Organises AI training"),
           ("education-base", "建设人工智能产教融合基地（承接学生实习、就业）",
            "Runs an AI industry–education integration base (student internships and jobs)"),
           ("events", "举办人工智能赛事或活动", "Organises AI competitions or events"),
           ("competition-award", "在人工智能赛事中获奖", "Won an award in an AI competition"),
           ("ai-services-for-smes", "面向中小企业提供人工智能服务", "Provides AI services to SMEs"),
           ("listing", "筹备上市或挂牌融资", "Preparing to list on an exchange"),
           ("joint-rnd-platform", "建设人工智能应用场景联合研发平台", "Builds a joint R&D platform for AI application scenarios"),
           ("old-building-conversion", "将老旧厂房等存量空间改造为研发或生产用房",
            "Converts old factory buildings or other existing space into R&D or production space"),
           ("talent-programme", "申报人才计划", "Applies to a talent programme"),
       )),
    # spending
    _f("compute_spend", "yuan", "spending", "年度智能算力采购或租用支出", "Yearly spend on intelligent computing power",
       "向非关联方购买或租用智能算力的实际投入（元）。",
       "Buying or renting intelligent computing power from non-affiliated providers, in yuan."),
    _f("model_spend", "yuan", "spending", "年度大模型调用或私有化部署支出", "Yearly spend on third-party models",
       "调用第三方大模型API或私有化部署的采购服务合同金额（元）。",
       "Third-party model API calls or private deployment, contract amount in yuan."),
    _f("data_purchase", "yuan", "spending", "年度数据产品采购额", "Yearly data products bought",
       "通过合规交易平台向非关联方购买数据集、数据接口、数据模型等（元）。",
       "Data sets, data interfaces and data models bought from non-affiliated parties on a compliant exchange, in yuan."),
    _f("data_sales", "yuan", "spending", "年度数据产品交易额（作为供给方）", "Yearly data products sold (as supplier)",
       "作为数据供给方的实际交易额（元）。", "Actual transaction value as the data supplier, in yuan."),
    _f("data_registration_fee", "yuan", "spending", "数据（数字）资产登记费用", "Data (digital) asset registration fees"),
    _f("training_spend", "yuan", "spending", "人工智能培训实际发生金额", "AI training actually spent",
       "举办人工智能应用型人才培训的实际支出（元）。", "Actual cost of AI skills training organised, in yuan."),
    _f("event_spend", "yuan", "spending", "活动实际发生金额", "Events actually spent",
       "主办或出资举办人工智能赛事、活动的实际支出（元）。", "Actual cost of AI competitions and events organised or funded, in yuan."),
    # growth
    _f("revenue", "yuan", "growth", "本年度主营业务收入", "Main-business revenue this year"),
    _f("revenue_prev", "yuan", "growth", "上年度主营业务收入", "Main-business revenue last year"),
    _f("revenue_highest_before", "yuan", "growth", "此前各年度主营业务收入的最高值", "Highest main-business revenue of any earlier year",
       "用于判断收入是否“首次达到”某一档位：以前任何一年达到过的，不算首次。",
       "Tells whether a revenue level is reached for the first time (首次达到): a level reached in any earlier year "
       "does not count."),
    _f("revenue_growth_above_industry", "bool", "growth", "营收增幅高于所在行业平均水平", "Revenue growth above the industry average"),
    _f("rnd_spend", "yuan", "growth", "本年度研发费用", "R&D spend this year"),
    _f("rnd_spend_prev", "yuan", "growth", "上年度研发费用", "R&D spend last year"),
    _f("ai_product_sales", "yuan", "growth", "年度人工智能终端产品销售或租赁合同额", "Yearly AI device sales or lease contracts",
       "AI PC、AI手机、AI眼镜、智能机器人等（元）。", "AI PCs, AI phones, AI glasses, intelligent robots and the like, in yuan."),
    # achievements
    _f("new_genai_filing", "bool", "achievements", "新取得国家生成式人工智能服务备案", "Newly obtained national generative-AI service filing"),
    _f("new_deep_synthesis_filing", "bool", "achievements", "新取得境内深度合成服务算法备案", "Newly obtained deep-synthesis algorithm filing"),
    _f("genai_launch_number", "bool", "achievements", "已取得生成式人工智能产品服务上线批号",
       "Holds a launch approval number for a generative-AI product or service"),
    _f("agent_first_store_listing", "bool", "achievements", "通用智能体首次在应用商店上架",
       "A general-purpose AI agent listed in an app store for the first time"),
    _f("new_recognitions", "set", "achievements", "本年度首次获得的认定", "Recognitions newly obtained",
       values=_values(
           ("national-little-giant", "国家专精特新“小巨人”企业", "National specialised and sophisticated “little giant”"),
           ("high-tech-enterprise", "国家高新技术企业", "National high-tech enterprise"),
           ("beijing-specialized-sme", "北京市专精特新中小企业", "Beijing specialised and sophisticated SME"),
           ("national-innovation-platform", "国家级重点实验室、工程研究中心、技术创新中心等", "National key lab, engineering or technology innovation centre, etc."),
           ("city-innovation-platform", "市级重点实验室、工程研究中心、企业技术中心等", "Municipal key lab, engineering centre, enterprise technology centre, etc."),
           ("first-set-catalogue", "入选北京市首台（套）重大技术装备目录", "Listed in Beijing's first (set) of major technical equipment catalogue"),
           ("benchmark-case", "国家或市级行业应用标杆案例", "National or municipal benchmark application case"),
           ("dcmm", "数据管理能力成熟度（GB/T 36073）认证", "Data management capability maturity (GB/T 36073) certification"),
       )),
    _f("standards_led", "set", "achievements", "牵头或主导制定并发布的标准", "Standards led and published",
       values=_values(
           ("international", "国际标准", "International standard"),
           ("national", "国家标准", "National standard"),
           ("industry", "行业标准", "Industry standard"),
           ("local", "地方标准", "Local standard"),
       )),
    _f("software_maturity_tier", "enum", "achievements", "智能软件产品智能化成熟度档位", "Intelligence-maturity tier of the software product",
       "实施指南按成熟度等级分三档（10%、15%、20%），具体等级名称以申报指南为准。",
       "The guide gives three tiers by maturity level (10%, 15%, 20%); the level names are in the application guide.",
       values=_values(("tier-1", "第一档", "Tier 1"), ("tier-2", "第二档", "Tier 2"), ("tier-3", "第三档", "Tier 3"))),
    # projects
    _f("rnd_project_investment", "yuan", "projects", "攻关项目总投入", "Total investment in the R&D (key technology) project"),
    _f("scenario_project_investment", "yuan", "projects", "应用场景建设项目总投入", "Total investment in the application-scenario project"),
    _f("scenario_sector", "enum", "projects", "应用场景项目所属领域", "Field of the application-scenario project",
       "一个项目只属于一个领域，只能按一条申报。", "A project belongs to one field and is claimed under one article only.",
       values=_values(
           ("culture-tourism", "文化旅游", "Culture and tourism"),
           ("healthcare", "医疗健康", "Healthcare"),
           ("education", "教育", "Education"),
           ("industry", "工业（制造业）", "Industry (manufacturing)"),
           ("vertical-agents", "金融、能源、交通、安防、政务等行业的行业大模型或智能体",
            "Industry models or agents in finance, energy, transport, security, government and similar sectors"),
           ("other", "其他领域", "Another field"),
       )),
    _f("joint_rnd_investment", "yuan", "projects", "联合研发平台的联合研发投入", "Joint R&D investment of the joint R&D platform"),
    _f("platform_investment", "yuan", "projects", "服务平台建设投入", "Investment in building the service platform"),
    _f("data_space_investment", "yuan", "projects", "可信数据空间建设投入", "Investment in building the trusted data space"),
    _f("incubator_investment", "yuan", "projects", "孵化器建设投入", "Investment in building the incubator"),
    _f("park_investment", "yuan", "projects", "产业园区建设投入", "Investment in building the industrial park"),
    _f("software_project_investment", "yuan", "projects", "软件智能化项目总投资额", "Total investment in the software intelligence project"),
    _f("solution_purchase_non_hardware", "yuan", "projects", "解决方案非硬件部分实际采购额", "Non-hardware part of the solution actually purchased"),
    _f("innovation_center_investment", "yuan", "projects", "创新体验中心或场景实验室项目投资额", "Investment in the experience centre or scenario lab"),
    _f("pilot_test_investment", "yuan", "projects", "小批量测试投资额", "Investment in small-batch testing"),
    _f("datacenter_retrofit_investment", "yuan", "projects", "数据中心改造项目固定资产投资", "Fixed-asset investment of the data-centre retrofit"),
    _f("datacenter_special_retrofit", "bool", "projects", "数据中心转型为算力中心，或改造涉及余热回收、液冷、氢能应用",
       "The data centre becomes a computing centre, or the retrofit involves waste-heat recovery, liquid cooling or hydrogen"),
    _f("loan_amount", "yuan", "projects", "符合条件的贷款金额", "Eligible loan amount",
       "用于研发或建设的贷款本金（元）。", "Loan principal used for R&D or construction, in yuan."),
    _f("loan_for_beidou", "bool", "projects", "该贷款用于“北斗+”融合应用项目", "The loan is for a BeiDou+ integrated-application project",
       "同一笔贷款只按一项贴息政策计算。", "One loan is counted under one interest-subsidy item only."),
    # funding
    _f("national_funding", "yuan", "funding", "承担国家项目获得的支持资金", "Support received for a national project"),
    _f("city_funding", "yuan", "funding", "承担北京市项目获得的支持资金", "Support received for a Beijing municipal project"),
    _f("city_scenario_subsidy", "yuan", "funding", "获得的市级应用场景建设项目补贴", "Municipal application-scenario subsidy received"),
    _f("city_first_set_subsidy", "yuan", "funding", "获得的市级首台（套）项目补贴", "Municipal first-(set) project subsidy received"),
    _f("fengtai_joint_fund", "bool", "funding", "出资参与北京市自然科学基金丰台联合基金",
       "Contributes to the Fengtai Joint Fund of the Beijing Natural Science Foundation"),
    # ecosystem
    _f("incubated_companies", "count", "ecosystem", "本年度培育的符合条件企业数", "Qualifying companies incubated this year"),
    _f("invested_incubatees", "count", "ecosystem", "本年度投资的符合条件在孵企业数", "Qualifying incubatees invested in this year"),
    _f("fund_ai_investment", "yuan", "ecosystem", "基金对人工智能企业的实际出资额", "The fund's actual investment in AI enterprises",
       "创投基金投资人工智能企业实际出资的金额（元）。", "What the venture fund actually invested in AI enterprises, in yuan."),
]

# Fields no longer asked, with why. A profile that carries one is still read: the answer is ignored,
# with this notice (a share link made before the change keeps opening).
RETIRED = {
    "fund_paid_in": {
        "replaced_by": "fund_ai_investment",
        "note": {"zh": "“基金实际出资额”一题已改为“基金对人工智能企业的实际出资额”（丰台第九条(3)按基金投资人工智能企业的实际出资计算），"
                       "原答案未被采用，请重新填写。",
                 "en": "The question “capital actually paid into the fund” is replaced by “the fund's actual investment in AI "
                       "enterprises” (Fengtai Article 9 (3) is computed on what the fund invested in AI enterprises); the "
                       "earlier answer is not used: please answer again."},
    },
}

# Quantities computed from answers; a condition or a tier may use them like fields.
DERIVED = {
    "revenue_increase": {
        "of": ("revenue", "revenue_prev"),
        "label": {"zh": "主营业务收入同比增量", "en": "Year-on-year increase in main-business revenue"},
        "unit": "yuan",
    },
    "rnd_increase": {
        "of": ("rnd_spend", "rnd_spend_prev"),
        "label": {"zh": "研发费用较上年增量", "en": "Increase in R&D spend over last year"},
        "unit": "yuan",
    },
}

FIELD_BY_ID = {f["id"]: f for f in FIELDS}
