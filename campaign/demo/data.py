"""The demo district's content: 江滨区, a fictional district of the fictional city 临州市.

Names of people and phone numbers are made up (138 0000 xxxx mobiles, 0571-8800xxxx landlines). Units are
referred to by their short name everywhere below; campaign/demo.py turns this data into rows.
"""

from datetime import date

# (name, short name, kind, contact person, contact phone), in the order a plan lists them:
# towns and street offices, bureaus, institutions, others.
UNITS = (
    ("江滨街道办事处", "江滨街道", "town", "陈晓燕", "0571-88000101"),
    ("城南街道办事处", "城南街道", "town", "刘建国", "0571-88000102"),
    ("城北街道办事处", "城北街道", "town", "周丽华", "13800000103"),
    ("临江镇人民政府", "临江镇", "town", "李喆", "13800000104"),
    ("白沙镇人民政府", "白沙镇", "town", "黄文斌", "0571-88000105"),
    ("桃源镇人民政府", "桃源镇", "town", "吴秀兰", "13800000106"),
    ("青山镇人民政府", "青山镇", "town", "郑伟", "0571-88000107"),
    ("石门镇人民政府", "石门镇", "town", "孙志刚", "13800000108"),
    ("江滨区人民政府办公室", "区政府办", "bureau", "张敏", "0571-88000201"),
    ("江滨区发展和改革局", "区发改局", "bureau", "赵磊", "0571-88000202"),
    ("江滨区教育局", "区教育局", "bureau", "王甡", "13800000203"),
    ("江滨区人力资源和社会保障局", "区人社局", "bureau", "钱芳", "0571-88000204"),
    ("江滨区住房和城乡建设局", "区住建局", "bureau", "冯涛", "13800000205"),
    ("江滨区卫生健康局", "区卫健局", "bureau", "何静", "0571-88000206"),
    ("江滨区市场监督管理局", "区市场监管局", "bureau", "许海洋", "0571-88000207"),
    ("江滨区营商环境建设局", "区营商环境局", "bureau", "沈佳琪", "13800000208"),
    ("江滨区医疗保障局", "区医保局", "bureau", "韩雪", "0571-88000209"),
    ("江滨区信访局", "区信访局", "bureau", "杨光明", "0571-88000210"),
    ("江滨区司法局", "区司法局", "bureau", "朱丹", "13800000211"),
    ("江滨区民政局", "区民政局", "bureau", "秦玉梅", "0571-88000212"),
    ("江滨区财政局", "区财政局", "bureau", "尤国栋", "0571-88000213"),
    ("江滨区自然资源和规划局", "区自然资源局", "bureau", "吕晨", "13800000214"),
    ("江滨区农业农村局", "区农业农村局", "bureau", "施红英", "0571-88000215"),
    ("江滨区交通运输局", "区交通运输局", "bureau", "张宇航", "0571-88000216"),
    ("江滨区应急管理局", "区应急管理局", "bureau", "孔令军", "13800000217"),
    ("江滨区退役军人事务局", "区退役军人事务局", "bureau", "曹振华", "0571-88000218"),
    ("江滨区政务服务中心", "区政务服务中心", "institution", "严莉", "0571-88000301"),
    ("江滨区公共资源交易中心", "区公共资源交易中心", "institution", "华东升", "0571-88000302"),
    ("江滨区融媒体中心", "区融媒体中心", "institution", "金梦琪", "13800000303"),
    ("江滨区12345政务服务便民热线中心", "区12345热线中心", "institution", "魏红", "0571-88000304"),
    ("江滨区档案馆", "区档案馆", "institution", "陶永康", "0571-88000305"),
    ("江滨区残疾人联合会", "区残联", "other", "姜慧", "0571-88000401"),
    ("江滨区城市管理综合行政执法大队", "区城管执法大队", "other", "戚志远", "13800000402"),
    ("国家税务总局临州市江滨区税务局", "区税务局", "other", "谢婷", "0571-88000403"),
    ("临州市公安局江滨区分局", "区公安分局", "other", "邹凯", "0571-88000404"),
    ("江滨区总工会", "区总工会", "other", "喻小平", "13800000405"),
)

# (username, password, display name, role, unit short name or None, description printed by `flask demo load`)
USERS = (
    ("admin", "demo-admin-2025", "区政务公开办 张敏", "organizer", None, "组织者（区政务公开办）"),
    ("jiaoyu", "demo-unit-2025", "王甡", "unit", "区教育局", "单位联络员（区教育局）"),
    ("linjiang", "demo-unit-2025", "李喆", "unit", "临江镇", "单位联络员（临江镇）"),
    ("renshe", "demo-unit-2025", "钱芳", "unit", "区人社局", "单位联络员（区人社局，社会保险类转办在此办理）"),
)

# Units whose contacts the demo invites (campaign/demo/accounts.py): these have signed in through their link and
# set this password; these others have an unused invitation. The other units have no contact yet.
ACTIVE_CONTACTS = ("江滨街道", "城南街道", "区发改局", "区民政局", "区卫健局", "区市场监管局")
ACTIVE_CONTACT_PASSWORD = "demo-unit-2025"
INVITED_CONTACTS = ("城北街道", "白沙镇", "区住建局", "区医保局", "区司法局")

MAIN_EVENT_REQUIREMENTS = (
    "各参加单位安排1名分管领导和2名工作人员参加，设立政策咨询台，自带展板和宣传资料；"
    "桌椅、条幅由牵头单位统一布置，于8:30前到位；区公安分局负责现场秩序和车辆停放。"
)
DESK_TO_BRING = "展板2块、宣传资料不少于200份（宣传单、宣传册、政策汇编）、征求意见卡50张；工作人员佩戴工作证。"

# An activity: mode, day (month, day) or None for the whole period, start and end (hour, minute), venue name,
# and the units by role. A unit appears at most once per activity.
CAMPAIGN_2025 = dict(
    fields=dict(
        edition=19,
        year=2025,
        title="江滨区第十九届“5·15政务公开日”活动方案",
        theme="坚持依法行政，深化政务公开，加强法治政府建设。",
        first_day=date(2025, 5, 15),
        last_day=date(2025, 5, 20),
        issuing_office="江滨区人民政府办公室",
        doc_number="江政办〔2025〕7号",
        basis_title="临州市人民政府办公室关于开展第十九届“5·15政务公开日”活动的通知",
        basis_number="临政办〔2025〕12号",
        addressees="各镇（街道），区政府各部门、区直各单位：",
        form_text=(
            "采取线上与线下相结合的方式，集中宣传解读利企惠民政策、政务服务事项、规章和规范性文件、"
            "行政执法信息等内容，现场解答群众和企业咨询，收集意见建议，提升政务公开的知晓度和群众满意度。"
        ),
        closing_requirements="\n".join((
            "加强组织领导。各单位要高度重视，明确1名分管领导和1名联络员，结合本单位职能制定具体工作措施，"
            "确保活动有序开展。",
            "注重活动实效。各单位要围绕群众和企业关心关注的热点问题开展宣传解读，做到内容实在、形式多样，"
            "杜绝形式主义，切实提升活动的社会影响力。",
            "确保活动安全。各牵头单位要做好现场组织和安全保障，合理设置咨询台和通道，防止人员拥挤，"
            "遇恶劣天气及时调整活动安排。",
            "及时报送总结。各单位于2025年5月18日17:30前将活动总结报告（包含图片、视频等）报送区政务公开办，"
            "报送情况纳入政务公开监督绩效考核评分。",
        )),
        issue_date=date(2025, 5, 8),
        # The notice as the office files it: 版头 with the red 发文机关标志, 版记 at the foot of the last page.
        masthead_shown=True,
        issuer_mark="江滨区人民政府办公室文件",
        copy_to="区委办公室，区人大常委会办公室，区政协办公室，区纪委监委办公室。",
        printed_by="江滨区人民政府办公室",
        printed_on=date(2025, 5, 8),
    ),
    deadline=(date(2025, 5, 18), (17, 30)),
    issued_at=(date(2025, 5, 8), (10, 0)),
    status="issued",
    venues=(
        ("江滨区市民广场", "江滨区滨江大道188号", "main"),
        ("临江镇便民服务中心广场", "临江镇临江路56号", "branch"),
        ("白沙镇文化礼堂", "白沙镇白沙村文化路8号", "branch"),
        # Plain places, printed without a 会场 label; the last is a description, as plans write it.
        ("区政务服务中心一楼大厅", "江滨区新城路1号", "plain"),
        ("江滨高新技术产业园区企业服务中心", "江滨区科创大道9号", "plain"),
        ("各镇街便民服务中心（各镇街自行选择）", "", "plain"),
    ),
    groups=(
        ("线上主题宣传活动", (
            dict(
                title="开展“群众难题我来答”活动",
                mode="online",
                description=(
                    "梳理今年以来12345政务服务便民热线平台受理的群众关注度高的热点问题，由相关职能部门在活动期间"
                    "通过区政府门户网站“政民互动”栏目和“江滨发布”微信公众号集中解答。"
                ),
                requirements=(
                    "各配合单位于5月14日前提交不少于3条热点问题的答复口径，经分管领导审核后由牵头单位统一发布；"
                    "答复要准确、通俗，避免照搬政策原文。"
                ),
                lead=("区12345热线中心",),
                cooperating=("区人社局", "区住建局", "区教育局", "区医保局", "区市场监管局", "区卫健局"),
            ),
            dict(
                title="开展“政策解读进万家”活动",
                mode="online",
                description=(
                    "各部门围绕今年出台的利企惠民政策，采用图文解读、短视频、“一图读懂”等形式，在区政府门户网站"
                    "政策解读专栏和政务新媒体集中发布解读材料，区融媒体中心制作专题页面。"
                ),
                requirements="每个配合单位发布政策解读不少于2篇，其中图解或视频解读不少于1篇，于5月15日前报送区融媒体中心。",
                lead=("区政府办", "区融媒体中心"),
                cooperating=("区发改局", "区人社局", "区卫健局", "区民政局", "区财政局", "区农业农村局", "区教育局"),
            ),
        )),
        ("线下实地宣传", (
            dict(
                title="举办“5·15政务公开日”主会场集中宣传咨询活动",
                mode="onsite",
                day=(5, 15),
                start=(9, 0),
                end=(11, 30),
                venue="江滨区市民广场",
                description=(
                    "在主会场集中设立政策咨询台，发放宣传资料，展示政务公开和政务服务成果，面对面解答群众和企业"
                    "关于社保、医保、住房、教育、市场准入等方面的咨询，收集意见建议。"
                ),
                requirements=MAIN_EVENT_REQUIREMENTS,
                to_bring=DESK_TO_BRING,
                lead=("区政府办",),
                cooperating=(
                    "区发改局", "区教育局", "区人社局", "区住建局", "区卫健局", "区市场监管局", "区营商环境局",
                    "区医保局", "区信访局", "区司法局", "区民政局", "区税务局", "区公安分局",
                ),
            ),
            dict(
                title="举办临江镇分会场宣传活动",
                mode="onsite",
                day=(5, 16),
                start=(9, 0),
                end=(11, 0),
                venue="临江镇便民服务中心广场",
                description="结合农村集体“三资”管理和惠农补贴政策，在临江镇便民服务中心广场设立分会场，开展政策宣传和咨询。",
                requirements=(
                    "临江镇负责场地布置和群众组织；各配合单位安排2名业务骨干参加，设立咨询台，于8:30前到位。"
                ),
                to_bring="展板1块、宣传资料不少于100份。",
                lead=("临江镇",),
                cooperating=("区农业农村局", "区自然资源局", "区医保局", "区人社局"),
            ),
            dict(
                title="举办白沙镇分会场宣传活动",
                mode="onsite",
                day=(5, 16),
                start=(14, 30),
                end=(16, 30),
                venue="白沙镇文化礼堂",
                description="在白沙镇文化礼堂开展“政务公开进村社”宣讲，解读养老服务、残疾人帮扶和法律援助政策。",
                requirements=(
                    "区司法局统筹宣讲内容；白沙镇负责场地布置，组织村（社区）干部和群众不少于80人参加；"
                    "每家宣讲不超过15分钟。"
                ),
                to_bring="宣讲材料1份、宣传资料不少于100份。",
                lead=("区司法局",),
                responsible=("白沙镇",),
                # 参加单位 as plans list them: in the office's order, ending in 等.
                participating=("区民政局", "区残联", "区退役军人事务局"),
                etc=("participating",),
            ),
            dict(
                title="开展“政府开放日”活动",
                mode="onsite",
                day=(5, 17),
                start=(9, 0),
                end=(11, 30),
                venue="区政务服务中心一楼大厅",
                description=(
                    "邀请人大代表、政协委员、企业代表和市民代表走进区政务服务中心，体验“高效办成一件事”、"
                    "“跨省通办”等服务，现场征求意见建议。"
                ),
                requirements="区政务服务中心负责邀请不少于30名代表并全程讲解；各配合单位窗口安排专人现场演示办事流程。",
                to_bring="办事指南、征求意见卡。",
                lead=("区营商环境局",),
                responsible=("区政务服务中心",),
                cooperating=("区公共资源交易中心", "区税务局", "区市场监管局"),
            ),
            dict(
                title="开展“惠企政策进园区”活动",
                mode="onsite",
                day=(5, 19),
                start=(14, 30),
                end=(17, 0),
                venue="江滨高新技术产业园区企业服务中心",
                description="面向园区企业集中宣讲稳就业、减税降费、科技创新等惠企政策，现场受理企业诉求。",
                requirements=(
                    "各配合单位安排熟悉政策的业务骨干1至2名现场宣讲和答疑，每家宣讲不超过15分钟，"
                    "讲稿于5月16日前报送区营商环境局。"
                ),
                to_bring="政策汇编30份、申报指南、企业诉求登记表。",
                lead=("区营商环境局",),
                # As offices write a list: its first name's 区 serves the rest, and the plan prints it so.
                cooperating=("区发改局", "人社局", "税务局", "财政局", "市场监管局"),
            ),
            dict(
                # A group (各镇街) as the only, responsible "unit", a start without an end, a described venue: each
                # town owes the task and a summary; the plan prints 各镇街.
                title="开展政务公开“进村社”宣传",
                mode="onsite",
                day=(5, 20),
                start=(9, 0),
                venue="各镇街便民服务中心（各镇街自行选择）",
                description="各镇街在便民服务中心设置政务公开专区，向村（社区）群众发放宣传资料，解读惠农惠民政策。",
                requirements="各镇街于5月20日前完成，活动照片随总结一并报送。",
                responsible=("各镇街",),
            ),
        )),
    ),
    # The plan's own sections beside the standard five, as 江滨区's plan has them.
    sections=(
        ("start", "指导思想",
         "以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，"
         "坚持以公开为常态、不公开为例外，以群众需求为导向，推动政务公开走进群众、服务群众。"),
        ("requirements", "其他事项",
         "活动期间如遇恶劣天气，现场活动顺延，具体时间另行通知。\n"
         "联系人：区政务公开办公室　李䶮，联系电话：0571-88886666。"),
    ),
    slogans=(
        "深入贯彻落实《中华人民共和国政府信息公开条例》",
        "公开是常态　不公开是例外",
        "推进政务公开　优化营商环境",
        "坚持依法行政，深化政务公开，加强法治政府建设",
        "以公开促落实　以公开促规范　以公开促服务",
        "全面推进决策、执行、管理、服务、结果公开",
        "让权力在阳光下运行",
        "政务公开惠民生　优质服务暖人心",
        "打造阳光政府　建设法治江滨",
        "依法公开政府信息，保障人民群众的知情权、参与权、表达权和监督权",
    ),
)

CAMPAIGN_2024 = dict(
    fields=dict(
        edition=18,
        year=2024,
        title="江滨区第十八届“5·15政务公开日”活动方案",
        theme="深化政务公开，优化营商环境，推进法治政府建设。",
        first_day=date(2024, 5, 15),
        last_day=date(2024, 5, 17),
        issuing_office="江滨区人民政府办公室",
        doc_number="江政办〔2024〕9号",
        basis_title="临州市人民政府办公室关于开展第十八届“5·15政务公开日”活动的通知",
        basis_number="临政办〔2024〕15号",
        addressees="各镇（街道），区政府各部门、区直各单位：",
        form_text="采取线上与线下相结合的方式，宣传政府信息公开条例，解读利企惠民政策。",
        closing_requirements="\n".join((
            "加强组织领导。各单位要明确分管领导和联络员，确保活动有序开展。",
            "及时报送总结。各单位于2024年5月20日17:30前将活动总结报告报送区政务公开办。",
        )),
        issue_date=date(2024, 5, 7),
    ),
    deadline=(date(2024, 5, 20), (17, 30)),
    issued_at=(date(2024, 5, 7), (15, 0)),
    status="closed",
    venues=(("江滨区市民广场", "江滨区滨江大道188号", "main"),),
    groups=(
        ("线上主题宣传活动", (
            dict(
                title="开展“政策解读进万家”活动",
                mode="online",
                description="各部门在区政府门户网站和政务新媒体发布政策解读材料。",
                requirements="每个配合单位发布政策解读不少于1篇。",
                lead=("区融媒体中心",),
                cooperating=("区发改局", "区教育局", "区人社局"),
            ),
        )),
        ("线下实地宣传", (
            dict(
                title="举办“5·15政务公开日”集中宣传咨询活动",
                mode="onsite",
                day=(5, 15),
                start=(9, 0),
                end=(11, 30),
                venue="江滨区市民广场",
                description="在江滨区市民广场设立政策咨询台，发放宣传资料，现场解答群众咨询。",
                requirements="各参加单位安排2名工作人员参加，自带展板和宣传资料，于8:30前到位。",
                to_bring="展板1块、宣传资料不少于100份。",
                lead=("区政府办",),
                cooperating=("区教育局", "区人社局", "区医保局", "区市场监管局", "区公安分局", "临江镇"),
            ),
        )),
    ),
    slogans=(
        "深入贯彻落实《中华人民共和国政府信息公开条例》",
        "公开是常态　不公开是例外",
        "推进政务公开　优化营商环境",
        "让权力在阳光下运行",
        "打造阳光政府　建设法治江滨",
    ),
)

CAMPAIGNS = (CAMPAIGN_2024, CAMPAIGN_2025)
