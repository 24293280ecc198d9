// Word material for the benchmark generator: the kind of think sections and summary sentences
// long-context rollouts contain, in English and Chinese. Every template is a function of the PRNG
// so that names, numbers and document references vary from item to item.
import type { Rng } from './prng.js';

export type Lang = 'en' | 'zh';

export const EN_PEOPLE = [
  'Priya Raman', 'Kenji Watanabe', 'Amara Nwosu', 'Tomás Herrera', "Grace O'Neill", 'Lucas Fontaine', 'Sofia Marquez',
  'Hannah Liu', 'Jonas Eklund', 'Mei Chen', 'Oscar Lindgren', 'Nadia Rahman', 'Ethan Brooks', 'Ingrid Solberg',
  'Viktor Petrov', 'Rafael Costa', 'Alice Thornton', 'Leila Haddad',
];
export const EN_COMPANIES = [
  'Helios Energy', 'Bluefin Analytics', 'Atlas Robotics', 'Redwood Capital', 'Northwind Logistics', 'Meridian Telecom',
  'Orion Foods', 'Crescent Bank', 'Granite Insurance', 'Lumen Pharmaceuticals', 'Pioneer Textiles',
];
export const EN_CITIES = ['Rotterdam', 'Porto', 'Accra', 'Nagoya', 'Bergen', 'Kraków', 'Da Nang', 'Tucson', 'Valparaíso', 'Montréal', 'Adelaide', 'Cork'];
const EN_TOPICS = ['merger negotiations', 'board election', 'product recall', 'safety audit', 'supplier dispute', 'annual report', 'city budget hearing'];
const EN_FACILITIES = ['research lab', 'call center', 'data center', 'solar farm', 'branch office', 'bottling plant'];
const EN_MONTHS = ['January', 'March', 'April', 'June', 'August', 'September', 'October', 'November'];

export const ZH_PEOPLE = ['张伟', '王芳', '李娜', '刘洋', '陈静', '赵磊', '黄敏', '周杰', '吴婷', '徐明', '郭强', '胡静', '马超'];
export const ZH_COMPANIES = ['蓝海数据', '东方能源', '华信物流', '天际通信', '泰和医疗', '长江银行', '明辉食品', '星河机器人', '锦程纺织'];
export const ZH_CITIES = ['成都', '西安', '杭州', '青岛', '大连', '厦门', '苏州', '南京', '昆明', '武汉'];
const ZH_TOPICS = ['并购谈判', '董事会选举', '产品召回', '安全审计', '供应商纠纷', '年度报告', '城市预算听证会'];
const ZH_FACILITIES = ['研究所', '客服中心', '数据中心', '灌装厂', '分公司'];

type Template = (r: Rng) => string;

function enDoc(r: Rng): string {
  const n = r.int(1, 60);
  return r.pick([`[${n}]`, `Passage ${n}`, `Document ${n}`, `doc_${n}`, `[Doc ${n}]`]);
}
function zhDoc(r: Rng): string {
  const n = r.int(1, 60);
  return r.pick([`[${n}]`, `段落${n}`, `文档${n}`]);
}
const year = (r: Rng): number => r.int(1985, 2030);
const money = (r: Rng): string => (r.int(10, 9999) / 10).toFixed(1);

const EN_THINK: Template[] = [
  (r) => `Let me start by locating every passage that mentions ${r.pick(EN_PEOPLE)}.`,
  (r) => `The question is about the ${r.pick(EN_TOPICS)}, so I need to be careful with the dates.`,
  (r) => `Hmm, the table in ${enDoc(r)} lists ${r.int(2, 90)} entries, not ${r.int(2, 90)}.`,
  (r) => {
    const a = r.int(1, 90);
    const b = r.int(1, 90);
    return `The running total is ${a} plus ${b}, which gives ${a + b}.`;
  },
  (r) => `I should double-check whether the ${r.pick(EN_PEOPLE)} mentioned here is the same person as earlier.`,
  (r) => `${enDoc(r)} says that ${r.pick(EN_PEOPLE)} signed the agreement in ${year(r)}, but ${enDoc(r)} gives a different year.`,
  (r) => `Note that ${r.pick(EN_PEOPLE)} later retracted the claim made in ${enDoc(r)}.`,
  (r) => `If I sort the events by date, ${r.pick(EN_COMPANIES)} comes before ${r.pick(EN_COMPANIES)}.`,
  (r) => {
    const y = year(r);
    return `Between ${y} and ${y + r.int(1, 6)} the figures changed by about ${r.int(1, 40)} percent.`;
  },
  (r) => `${r.pick(EN_COMPANIES)} opened a ${r.pick(EN_FACILITIES)} in ${r.pick(EN_CITIES)} in ${year(r)}, according to ${enDoc(r)}.`,
  (r) => `This passage is irrelevant; it talks about the ${r.pick(EN_TOPICS)} instead.`,
  (r) => `Actually, I think I misread the heading; it refers to ${r.pick(EN_CITIES)}, not ${r.pick(EN_CITIES)}.`,
  (r) => `So far the candidates are ${r.pick(EN_PEOPLE)}, ${r.pick(EN_PEOPLE)} and possibly ${r.pick(EN_PEOPLE)}.`,
  (r) => `I almost missed that ${r.pick(EN_COMPANIES)} is listed under a different name in ${enDoc(r)}.`,
  (r) => `There is a footnote in ${enDoc(r)} that changes the picture slightly.`,
  (r) => `Let me verify the count once more: I get ${r.int(2, 80)} relevant items.`,
  () => 'Alright, putting everything together.',
  () => 'Wait, that contradicts what I found before; let me re-read that part.',
  () => 'Let me consider the alternative interpretation before committing.',
  () => 'Now I will cross-check each candidate against the constraints.',
  () => 'That seems right, but the wording of the question is ambiguous.',
  () => 'I need to keep track of which statements come from which source.',
  () => 'Okay, I am fairly confident about the first part of the answer.',
  () => 'The instructions say the final answer must follow the marker, one item per line.',
  () => 'The second half of the context repeats some of the earlier material.',
];

const ZH_THINK: Template[] = [
  (r) => `我先找出所有提到${r.pick(ZH_PEOPLE)}的段落。`,
  (r) => `这个问题是关于${r.pick(ZH_TOPICS)}的，所以要特别注意日期。`,
  (r) => `${zhDoc(r)}里的表格列出了${r.int(2, 90)}条记录，而不是${r.int(2, 90)}条。`,
  (r) => {
    const a = r.int(1, 90);
    const b = r.int(1, 90);
    return `累计数量是${a}加${b}，一共是${a + b}。`;
  },
  (r) => `我需要确认这里的${r.pick(ZH_PEOPLE)}和前面提到的是不是同一个人。`,
  (r) => `${zhDoc(r)}提到${r.pick(ZH_PEOPLE)}在${year(r)}年签署了协议，但${zhDoc(r)}给出的年份不同。`,
  (r) => `注意${r.pick(ZH_PEOPLE)}后来撤回了${zhDoc(r)}中的说法。`,
  (r) => `如果按时间排序，${r.pick(ZH_COMPANIES)}在${r.pick(ZH_COMPANIES)}之前。`,
  (r) => {
    const y = year(r);
    return `从${y}年到${y + r.int(1, 6)}年，数据变化了大约${r.int(1, 40)}%。`;
  },
  (r) => `根据${zhDoc(r)}，${r.pick(ZH_COMPANIES)}于${year(r)}年在${r.pick(ZH_CITIES)}开设了${r.pick(ZH_FACILITIES)}。`,
  (r) => `这一段与问题无关，讲的是${r.pick(ZH_TOPICS)}。`,
  (r) => `其实我可能看错了标题，它指的是${r.pick(ZH_CITIES)}而不是${r.pick(ZH_CITIES)}。`,
  (r) => `目前的候选答案有${r.pick(ZH_PEOPLE)}、${r.pick(ZH_PEOPLE)}，可能还有${r.pick(ZH_PEOPLE)}。`,
  (r) => `差点漏掉了：${r.pick(ZH_COMPANIES)}在${zhDoc(r)}里用的是另一个名字。`,
  (r) => `${zhDoc(r)}里有一个脚注，稍微改变了结论。`,
  (r) => `再核对一次数量：我得到${r.int(2, 80)}个相关项。`,
  () => '好的，把所有信息汇总起来。',
  () => '等一下，这和我之前的发现矛盾，我需要重新读一遍。',
  () => '在下结论之前，我再考虑一下另一种理解。',
  () => '现在我逐一用约束条件检查每个候选项。',
  () => '看起来是对的，但题目的措辞有些模糊。',
  () => '我需要记清楚每条陈述分别来自哪份材料。',
  () => '好的，我对答案的第一部分比较有把握。',
  () => '题目要求在标记之后给出最终答案，每行一个。',
  () => '上下文的后半部分重复了前面的一些内容。',
];

const EN_SUMMARY: Template[] = [
  (r) => `${r.pick(EN_COMPANIES)} reported revenue of $${money(r)} million in ${year(r)}, up ${r.int(1, 60)} percent from the previous year.`,
  (r) => `${r.pick(EN_PEOPLE)}, the chief financial officer, warned that costs could rise further.`,
  (r) => `The committee asked for a follow-up report before the end of ${year(r)}.`,
  (r) => `${r.pick(EN_COMPANIES)} agreed to supply components under a ${r.int(2, 12)}-year contract.`,
  (r) => `Regulators in ${r.pick(EN_CITIES)} opened an inquiry into the ${r.pick(EN_TOPICS)}.`,
  (r) => `The city council approved the ${year(r)} budget by a vote of ${r.int(20, 900)} to ${r.int(1, 19)}.`,
  (r) => `Customer complaints rose sharply after the software update in ${r.pick(EN_MONTHS)}.`,
  (r) => `The combined company will be led by ${r.pick(EN_PEOPLE)} and based in ${r.pick(EN_CITIES)}.`,
  (r) => `Output at the ${r.pick(EN_CITIES)} plant accounted for ${r.int(2, 60)} percent of the total.`,
  (r) => `The recall covers about ${r.int(2, 900)},000 units sold since ${year(r)}.`,
  (r) => `Analysts expect margins to recover in the second half of ${year(r)}.`,
  () => 'Critics argued that the deal would reduce competition in the regional market.',
  (r) => `Net profit fell to $${r.int(5, 400)} million because of higher energy prices.`,
  (r) => `Inspectors recommended replacing the ventilation system within ${r.int(2, 24)} months.`,
  (r) => `Staff turnover fell to ${r.int(2, 50)} percent after the new training programme.`,
  (r) => `${r.pick(EN_PEOPLE)} resigned after the findings were published in ${r.pick(EN_MONTHS)}.`,
  (r) => `The negotiations stalled twice before a final agreement was reached in ${r.pick(EN_MONTHS)} ${year(r)}.`,
  (r) => `A dispute with ${r.pick(EN_COMPANIES)} over late deliveries was settled out of court.`,
  (r) => `Funding for public transport in ${r.pick(EN_CITIES)} will rise by $${money(r)} million.`,
  (r) => `The board approved plans for a new data centre in ${r.pick(EN_CITIES)}, due to open in ${year(r)}.`,
  (r) => `The company cut ${r.int(20, 400)} jobs at its ${r.pick(EN_CITIES)} branch.`,
  () => 'Customers can choose a full refund or a free replacement.',
  () => 'The defect can cause the battery to overheat during fast charging.',
  () => 'The report highlights risks from currency swings and supply delays.',
];

const ZH_SUMMARY: Template[] = [
  (r) => `${r.pick(ZH_COMPANIES)}${year(r)}年营收为${money(r)}亿元，同比增长${r.int(1, 60)}%。`,
  (r) => `首席财务官${r.pick(ZH_PEOPLE)}表示，成本可能进一步上升。`,
  (r) => `委员会要求在${year(r)}年底前提交后续报告。`,
  (r) => `${r.pick(ZH_COMPANIES)}同意签订为期${r.int(2, 12)}年的零部件供应合同。`,
  (r) => `${r.pick(ZH_CITIES)}监管部门就${r.pick(ZH_TOPICS)}展开调查。`,
  (r) => `市议会以${r.int(20, 900)}票对${r.int(1, 19)}票通过了${year(r)}年预算。`,
  (r) => `${r.int(1, 12)}月的软件更新后客户投诉明显增加。`,
  (r) => `合并后的公司将由${r.pick(ZH_PEOPLE)}领导，总部设在${r.pick(ZH_CITIES)}。`,
  (r) => `${r.pick(ZH_CITIES)}工厂的产量占总产量的${r.int(2, 60)}%。`,
  (r) => `此次召回涉及自${year(r)}年以来售出的约${r.int(2, 90)}万台产品。`,
  (r) => `分析师预计利润率将在${year(r)}年下半年回升。`,
  () => '批评者认为这笔交易会削弱区域市场的竞争。',
  (r) => `由于能源价格上涨，净利润降至${money(r)}亿元。`,
  (r) => `检查人员建议在${r.int(2, 24)}个月内更换通风系统。`,
  (r) => `新的培训计划实施后，员工流失率降至${r.int(2, 50)}%。`,
  (r) => `调查结果于${r.int(1, 12)}月公布后，${r.pick(ZH_PEOPLE)}辞职。`,
  (r) => `谈判两度停滞，最终于${year(r)}年${r.int(1, 12)}月达成协议。`,
  (r) => `与${r.pick(ZH_COMPANIES)}关于延迟交货的纠纷已庭外和解。`,
  (r) => `${r.pick(ZH_CITIES)}公共交通资金将增加${money(r)}亿元。`,
  (r) => `董事会批准在${r.pick(ZH_CITIES)}新建数据中心的计划，预计${year(r)}年投产。`,
  (r) => `公司在${r.pick(ZH_CITIES)}的分公司裁员${r.int(20, 400)}人。`,
  () => '客户可获得全额退款或免费更换。',
  () => '该缺陷可能导致电池在快充时过热。',
  () => '报告指出了汇率波动和供应延迟带来的风险。',
];

/** English words, or Chinese characters: the unit text sizes are given in. */
export function textSize(text: string, lang: Lang): number {
  if (lang === 'zh') return text.length;
  let n = 0;
  for (const w of text.split(/\s+/)) if (w) n++;
  return n;
}

/** A think section of about `size` words (en) or characters (zh), in paragraphs of 2–5 sentences. */
export function thinkSection(r: Rng, lang: Lang, size: number): string {
  const templates = lang === 'en' ? EN_THINK : ZH_THINK;
  const sep = lang === 'en' ? ' ' : '';
  const paragraphs: string[] = [];
  let total = 0;
  while (total < size) {
    const sentences: string[] = [];
    const k = r.int(2, 5);
    for (let i = 0; i < k && total < size; i++) {
      const s = r.pick(templates)(r);
      sentences.push(s);
      total += textSize(s, lang);
    }
    paragraphs.push(sentences.join(sep));
  }
  return paragraphs.join('\n\n');
}

export function summarySentence(r: Rng, lang: Lang): string {
  return r.pick(lang === 'en' ? EN_SUMMARY : ZH_SUMMARY)(r);
}

/** The first `size` words (en) or characters (zh) of a sentence, closed with a full stop. */
export function truncateSentence(sentence: string, lang: Lang, size: number): string {
  if (lang === 'zh') return sentence.slice(0, Math.max(0, size - 1)) + '。';
  const words = sentence.split(/\s+/).filter(Boolean).slice(0, size);
  const text = words.join(' ');
  return /[.!?]$/.test(text) ? text : `${text.replace(/[,;:]$/, '')}.`;
}

/** Sentences drawn until exactly `size` words (en) or characters (zh); the last one is truncated. */
export function sentencesOfSize(r: Rng, lang: Lang, size: number, draw: () => string = () => summarySentence(r, lang)): string[] {
  const out: string[] = [];
  let total = 0;
  while (total < size) {
    const s = draw();
    const n = textSize(s, lang);
    if (total + n <= size) {
      out.push(s);
      total += n;
    } else {
      out.push(truncateSentence(s, lang, size - total));
      total = size;
    }
  }
  return out;
}
