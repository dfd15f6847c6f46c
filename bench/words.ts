/**
 * Word lists and sentence templates for the benchmark corpus. Written for this project:
 * plain, neutral, made-up local news (transport, weather, schools, markets, science) in
 * Simplified Chinese and English. Every Chinese character here is in GBK, so half of the
 * Chinese pages can be served GBK-encoded (the generator checks the round trip).
 */

/** A small deterministic PRNG (mulberry32): the same seed gives the same corpus on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;

export function pick<T>(r: Rand, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

export function int(r: Rand, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

// ---------------------------------------------------------------- Chinese

const ZH_PLACES = [
  '临江市',
  '青石县',
  '北港新区',
  '西山镇',
  '南岸街道',
  '云河州',
  '东湖区',
  '白沙湾',
  '松林乡',
  '长桥区',
  '金田村',
  '望海市',
  '柳溪镇',
  '石门县',
  '河口新城',
  '枫叶社区',
];

const ZH_SUBJECTS = [
  '市政府',
  '研究团队',
  '当地居民',
  '交通部门',
  '气象台',
  '多家企业',
  '专家学者',
  '教育部门',
  '港口管理局',
  '医疗机构',
  '志愿者组织',
  '农业合作社',
  '科研人员',
  '市图书馆',
  '自然博物馆',
  '社区委员会',
  '消防部门',
  '环保团体',
  '铁路公司',
  '统计部门',
  '文化中心',
  '中小学校',
  '水务集团',
  '公园管理处',
];

const ZH_TIMES = [
  '本周一',
  '昨日上午',
  '上月底',
  '今年以来',
  '近日',
  '周末期间',
  '本月初',
  '日前',
  '前天下午',
  '上周五',
  '今年第三季度',
  '过去一年中',
];

const ZH_VERBS = [
  '宣布',
  '发布了',
  '启动了',
  '完成了',
  '调整了',
  '公布了',
  '讨论了',
  '推出了',
  '扩大了',
  '审议了',
  '试行了',
  '更新了',
  '评估了',
  '改造了',
  '开放了',
  '总结了',
];

const ZH_OBJECTS = [
  '新的公交线路',
  '年度工作报告',
  '城市绿化计划',
  '一项问卷调查的结果',
  '防汛应急预案',
  '社区服务中心',
  '公共数据开放平台',
  '暑期阅读活动',
  '港口扩建方案',
  '蔬菜水果的价格监测',
  '老旧小区的电梯改造',
  '河道清淤工程',
  '自行车道网络',
  '夜间图书借阅服务',
  '中小学课后托管项目',
  '垃圾分类试点',
  '山区道路养护计划',
  '新能源公交车队',
  '候鸟保护区的巡护制度',
  '文化遗产的数字化工作',
  '农田灌溉系统',
  '气温与降水的长期记录',
];

const ZH_CLAUSES = [
  '预计将惠及数万名市民',
  '相关工作将在年底前完成',
  '这一举措受到广泛关注',
  '有关部门表示将继续跟进',
  '据介绍该项目已筹备多时',
  '参与者普遍表示满意',
  '具体细节仍在进一步商讨之中',
  '首批试点已经取得初步成效',
  '不少居民在现场提出了建议',
  '负责人表示会定期公布进展',
  '资金主要来自地方财政',
  '后续还将根据反馈作出调整',
  '这是当地近十年来规模最大的一次',
  '工作人员提醒市民提前规划出行',
  '数据显示同比增长约百分之六',
  '部分路段将在夜间分段施工',
];

const ZH_CONNECTORS = [
  '此外，',
  '与此同时，',
  '据了解，',
  '值得注意的是，',
  '另一方面，',
  '有分析认为，',
  '记者注意到，',
  '',
  '',
  '',
  '',
];

const ZH_SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林'];
const ZH_GIVEN = [
  '明',
  '华',
  '晓燕',
  '建国',
  '丽',
  '海波',
  '静',
  '志强',
  '雪',
  '文杰',
  '芳',
  '子涵',
  '宇',
  '红梅',
  '磊',
];

const ZH_QUOTES = [
  '我们希望用更透明的方式把进展告诉大家',
  '这件事需要时间，但方向是清楚的',
  '每一项数据都经过了反复核对',
  '居民的意见是我们调整方案的重要依据',
  '接下来的重点是把细节落实到位',
];

const ZH_COMMENTS = [
  '希望能早日落实，期待后续报道。',
  '这个消息很实用，已经转给家里人了。',
  '我家附近就在施工，确实方便了不少。',
  '数据来源能不能再说明一下？',
  '支持，做实事比什么都重要。',
  '上次的问题还没解决，希望这次能改进。',
  '文章写得很清楚，谢谢记者。',
  '周末去看了一下，人很多，秩序还不错。',
  '建议把时间表也公布出来。',
  '关注了很久，终于有进展了。',
];

export const ZH_NAV = [
  '首页',
  '要闻',
  '国内',
  '国际',
  '财经',
  '科技',
  '文化',
  '体育',
  '健康',
  '教育',
  '社会',
  '评论',
  '图片',
  '视频',
  '专题',
  '地方',
  '汽车',
  '房产',
  '旅游',
  '读书',
  '美食',
  '天气',
  '公益',
  '数据',
];

export const ZH_CHANNELS = ['国内', '国际', '财经', '科技', '文化', '体育', '健康', '教育', '社会', '评论'];

export function zhName(r: Rand): string {
  return pick(r, ZH_SURNAMES) + pick(r, ZH_GIVEN);
}

export function zhSentence(r: Rand): string {
  const kind = r();
  if (kind < 0.12) return `${zhName(r)}表示：“${pick(r, ZH_QUOTES)}。”`;
  const place = r() < 0.6 ? pick(r, ZH_PLACES) : '';
  return `${pick(r, ZH_CONNECTORS)}${place}${pick(r, ZH_SUBJECTS)}${pick(r, ZH_TIMES)}${pick(r, ZH_VERBS)}${pick(r, ZH_OBJECTS)}，${pick(r, ZH_CLAUSES)}。`;
}

export function zhParagraph(r: Rand, sentences = int(r, 3, 6)): string {
  let s = '';
  for (let i = 0; i < sentences; i++) s += zhSentence(r);
  return s;
}

export function zhTitle(r: Rand): string {
  return `${pick(r, ZH_PLACES)}${pick(r, ZH_SUBJECTS)}${pick(r, ZH_VERBS).replace(/了$/, '')}${pick(r, ZH_OBJECTS)}`;
}

export function zhComment(r: Rand): string {
  return pick(r, ZH_COMMENTS);
}

export function zhCaption(r: Rand): string {
  return `${pick(r, ZH_PLACES)}的${pick(r, ZH_OBJECTS)}（资料图片）`;
}

// ---------------------------------------------------------------- English

const EN_PLACES = [
  'Riverside',
  'North Harbor',
  'Cedar Hill',
  'Stonebridge',
  'Maple Valley',
  'Eastfield',
  'Lakeshore',
  'Westbrook',
  'Pine Ridge',
  'Old Town',
  'Millbrook',
  'Sandy Point',
];

const EN_SUBJECTS = [
  'The city council',
  'Researchers at the regional university',
  'Local residents',
  'Transit officials',
  'The weather service',
  'Several small businesses',
  'The school board',
  'Port authorities',
  'The county library',
  'Volunteer groups',
  'A farming cooperative',
  'The parks department',
  'Hospital administrators',
  'The water utility',
  'Museum staff',
  'The fire department',
];

const EN_VERBS = [
  'announced',
  'published',
  'launched',
  'completed',
  'revised',
  'discussed',
  'expanded',
  'reviewed',
  'tested',
  'opened',
  'postponed',
  'approved',
];

const EN_OBJECTS = [
  'a new bus route',
  'its annual report',
  'a tree-planting plan',
  'the results of a survey',
  'a flood response plan',
  'a community service centre',
  'an open data portal',
  'a summer reading programme',
  'the harbour expansion',
  'a market price index',
  'repairs to older housing',
  'a river clean-up',
  'a network of cycle lanes',
  'late-night library hours',
  'an after-school programme',
  'a recycling pilot',
];

const EN_CLAUSES = [
  'which is expected to benefit tens of thousands of people',
  'and work is due to finish before the end of the year',
  'a step that drew wide attention',
  'and officials said they would keep the public informed',
  'after months of preparation',
  'and most participants said they were satisfied',
  'although several details are still being worked out',
  'with early results described as encouraging',
  'and residents raised questions at a public meeting',
  'funded mainly from the local budget',
  'the largest such effort in a decade',
  'with figures showing a rise of about six percent',
];

const EN_TIMES = ['on Monday', 'last week', 'this month', 'earlier this year', 'over the weekend', 'on Friday'];
const EN_CONNECTORS = ['Meanwhile, ', 'In addition, ', 'According to officials, ', 'Separately, ', '', '', '', ''];
const EN_FIRST = ['Alex', 'Maria', 'Sam', 'Priya', 'Tom', 'Lena', 'David', 'Grace', 'Omar', 'Hannah', 'Leo', 'Nina'];
const EN_LAST = ['Carter', 'Nguyen', 'Okafor', 'Schmidt', 'Rossi', 'Walsh', 'Tanaka', 'Moreno', 'Fischer', 'Park'];
const EN_QUOTES = [
  'We want people to see every step of the process',
  'It will take time, but the direction is clear',
  'Every figure was checked more than once',
  'What residents tell us shapes the plan',
];
const EN_COMMENTS = [
  'Good to see this finally moving.',
  'Does anyone know when the next meeting is?',
  'Useful summary, thanks.',
  'I walked past the site yesterday, looks busy.',
  'Would be nice to see the full numbers.',
  'About time!',
];

export const EN_NAV = [
  'Home',
  'Local',
  'World',
  'Business',
  'Science',
  'Culture',
  'Sport',
  'Health',
  'Education',
  'Opinion',
  'Weather',
  'Photos',
  'Video',
  'Podcasts',
  'Travel',
  'Food',
  'Books',
  'Puzzles',
  'Obituaries',
  'Events',
];

export const EN_CHANNELS = [
  'Local',
  'World',
  'Business',
  'Science',
  'Culture',
  'Sport',
  'Health',
  'Education',
  'Environment',
  'Opinion',
];

export function enName(r: Rand): string {
  return `${pick(r, EN_FIRST)} ${pick(r, EN_LAST)}`;
}

export function enSentence(r: Rand): string {
  if (r() < 0.12) return `"${pick(r, EN_QUOTES)}," said ${enName(r)}.`;
  return `${pick(r, EN_CONNECTORS)}${pick(r, EN_SUBJECTS)} in ${pick(r, EN_PLACES)} ${pick(r, EN_VERBS)} ${pick(r, EN_OBJECTS)} ${pick(r, EN_TIMES)}, ${pick(r, EN_CLAUSES)}.`;
}

export function enParagraph(r: Rand, sentences = int(r, 2, 5)): string {
  let s = '';
  for (let i = 0; i < sentences; i++) s += (i ? ' ' : '') + enSentence(r);
  return s;
}

export function enTitle(r: Rand): string {
  const subject = pick(r, EN_SUBJECTS).replace(/^The /, '');
  const obj = pick(r, EN_OBJECTS).replace(/^(a|an|the|its) /, '');
  return `${subject[0]?.toUpperCase()}${subject.slice(1)} ${pick(r, EN_VERBS)} ${obj} in ${pick(r, EN_PLACES)}`;
}

export function enComment(r: Rand): string {
  return pick(r, EN_COMMENTS);
}

export function enCaption(r: Rand): string {
  const obj = pick(r, EN_OBJECTS).replace(/^(a|an|the|its) /, '');
  return `Work on ${obj} in ${pick(r, EN_PLACES)}. (File photo)`;
}
