// The checker page: a form drawn from profile-schema.json, results computed by the calculator in a Web
// Worker (Pyodide). The profile never leaves the browser; a share link keeps it in the URL fragment, which
// browsers do not send to the server.
//
// Usage (in the page, re-run by Material's instant navigation):
//   import { mount } from "../pyodide/checker.js"; mount(document.getElementById("checker-app"));

const BASE = new URL("./", import.meta.url);

const T = {
  zh: {
    loading: { runtime: "正在下载并启动 Python 运行环境（首次约 5.4 MB，之后保存在本设备上，离线也可使用）……", package: "正在载入计算器……",
               data: "正在读取政策数据……" },
    ready: (s) => `计算器已就绪（用时 ${s} 秒）。结果随填写自动更新。`,
    failed: "计算器未能加载：", failedHint: "请刷新页面重试，或查看对比表。",
    timedOut: (s) => `Python 运行环境在 ${s} 秒内未能下载完成（文件缺失或网络中断）。`,
    waiting: "计算器加载完成后即显示结果；现在即可开始填写。",
    unanswered: "未回答", yes: "是", no: "否", none: "以上均无",
    notCounted: "此项有误，暂按未回答计算：", wholeYuan: "请填写金额，例如 8,000,000、800万、800 万元 或 0.8亿（须为整数元）。",
    wholeCount: "请填写不小于 0 的整数。", codeHelp: "请填写两位数字。",
    answered: (n) => (n ? `已填 ${n} 项` : ""),
    status: { eligible: "可能适用", conditional: "可能适用，须满足所列要求", unknown: "待补充信息", ineligible: "不符合",
              not_in_force: "不在有效期", programme: "政府组织实施，企业无需申请" },
    section: (s, n) => `${T.zh.status[s]}（${n}）`,
    period: { once: "一次性", per_year: "每年", unstated: "期限未写明" },
    upTo: (y) => `，最多 ${y} 年`,
    capScope: "（或为合计，原文未说明）", anotherPart: (p) => `（另有部分${p}）`,
    secondaryCount: (n) => `金额仅见于第三方摘要的措施：${n} 项（不加总，各项金额见其结果）`,
    most: "最高", noAmount: "原文未写明可得金额", unbounded: "金额取决于未回答的问题",
    per: { project: "每个项目", model: "每个大模型", standard: "每项标准", event: "每项活动" },
    award: { competitive: "竞争性评选，仅入选者获得", pool: "全市资金池，由全部申请者共享，未写明单个企业的金额",
             "in-kind": "实物支持", "non-monetary": "非资金支持" },
    requirements: "另须满足（本工具未询问，由主管部门审核）", notices: "说明",
    countedIn: { entitled: "计入合计", conditional: "另计：须满足未询问的要求", competitive: "另计：竞争性评选",
                 validity_unknown: "另计：有效期未查到", secondary_source: "另计：金额仅见于第三方摘要" },
    yuan: "元", wan: (w) => `（${w} 万元）`,
    inTotal: "计入合计", notInTotal: "未计入合计",
    warnings: "提示", whyNot: "不符合的条件", missing: "待回答的问题", hints: "若情况变化", steps: "计算过程与依据",
    goToField: (label) => `去填写：${label}`, linkSep: "；",
    totalTitle: "合计：按规定可得（上限估算，并非承诺）", counted: (n) => `计入 ${n} 项措施。`,
    apart: "另计，不计入合计：",
    unknownNote: (n) => (n ? `另有 ${n} 项待补充信息，未计入合计。` : ""),
    excluded: "因“从优不重复”未计入：", capped: "按共同上限扣减：",
    asOf: (d) => `评估日期：${d}`,
    live: (c, total) => `可能适用 ${c.eligible} 项，须满足所列要求 ${c.conditional} 项，待补充信息 ${c.unknown} 项，` +
                        `不符合 ${c.ineligible} 项，不在有效期 ${c.not_in_force} 项；按规定可得合计上限 ${total}。`,
    noneInSection: "（无）",
    share: "生成分享链接", shareDone: "链接已复制。链接中的资料只在网址“#”之后，打开时不会发送给服务器。",
    shareCopyFailed: "请手动复制下面的链接。", shareLabel: "分享链接",
    print: "打印摘要", clear: "清空", toResults: "查看结果", stickyLink: "结果 ↓",
    sticky: (c, total) => `可能适用 ${c.eligible} 项 · 合计上限 ${total}`,
    badFragment: "链接中的企业资料无法读取（可能不完整或已损坏），已显示空白表格。",
    oldFragment: (v, cur) => `此链接使用第 ${v} 版资料格式，本页读取第 ${cur} 版，已显示空白表格，请重新填写。`,
    rejectedFragment: "链接中的企业资料有误，已显示空白表格：",
    longFragment: (n) => `链接中的企业资料过长（超过 ${fmt(n)} 个字符），不是本页生成的分享链接，已显示空白表格。`,
    deepFragment: (n) => `链接中的企业资料嵌套超过 ${n} 层，不是本页生成的分享链接，已显示空白表格。`,
    unknownField: "未知字段", notExact: "数字过大，无法精确读取", wrongKind: (k) => `应为${k}`,
    kinds: { bool: "是或否", number: "数字", text: "文字", list: "文字列表" },
    formErrors: "以下填写有误：",
    profileTitle: "填写的资料",
    policyPage: "政策页面",
    schemaFailed: "无法读取问题列表（profile-schema.json）：",
    stored: "您的回答只保存在本浏览器中（本设备的本地存储），不会发送到任何地方；换语言、返回或刷新页面后仍在。",
    forget: "删除本设备上保存的回答", forgotten: "已删除本设备上保存的回答，表格已清空。可以撤销。",
    cleared: "已清空所有回答。", undo: "撤销",
    viewingLink: "正在查看分享链接中的资料；本设备上保存的回答没有改动。",
    backToSaved: "改回我保存的回答", keepLink: "将此资料保存为我的回答",
    badSaved: "本设备上保存的回答无法读取，已删除：",
    coverage: (place, covered) => `${place}暂无本区政策收录。本站收录：${covered}。以下结果只含全市政策。`,
    cityNotInForce: (d) => `本站收录的全市政策在评估日期 ${d} 均不在有效期内，因此没有可能适用的全市措施。`,
    nothingHere: (place) => `本站收录的措施均不适用于${place}的企业。`,
    validityUnknown: (names) => `${names}的有效期未查到：是否仍然有效须向发文单位核实，其金额另计，不计入合计。`,
    // One reason per sub-total shown apart, in the order they are listed.
    apartNote: (reasons) => `以上另计金额不能作为可得金额：${reasons.join("；")}。`,
    apartWhy: { conditional: "须满足本工具未询问的要求", competitive: "竞争性评选的金额仅入选者获得",
                validity_unknown: "有效期未查到的政策是否仍然有效，须向发文单位核实",
                secondary_source: "仅见于第三方摘要的金额未经官方原文核实" },
    showAll: (n) => `显示全部问题（另有 ${n} 个问题与目前的回答无关）`, showFewer: "只显示可能影响结果的问题",
    review: (n) => (n ? `核对您的回答（${n} 项）` : "核对您的回答（尚未填写）"), change: "修改", howToApply: "如何申报",
    applyFor: (measure) => `如何申报：${measure}`, todayDefault: "（今天，默认）",
    industryHelp: "输入行业名称或两位代码，从列表中选择。", industryPick: "请从列表中选择行业，或填写两位代码（如 65）。",
    industryMany: (text, n) => `“${text}”符合 ${n} 个行业，请选择其一，或输入更完整的名称：`,
    printed: (d) => `打印日期：${d}`, sourcesTitle: "所依据政策的来源与状态", shareLinkTitle: "分享链接（含以上回答）",
  },
  en: {
    loading: { runtime: "Downloading and starting Python (about 5.4 MB the first time; kept on this device afterwards, and usable offline)…",
               package: "Loading the calculator…", data: "Reading the policy data…" },
    ready: (s) => `The calculator is ready (${s} s). Results update as you type.`,
    failed: "The calculator could not load: ", failedHint: "Reload the page to try again, or see the comparison tables.",
    timedOut: (s) => `the Python runtime did not arrive within ${s} s (a file is missing or the connection stalled).`,
    waiting: "Results appear once the calculator has loaded; you can start filling in the form now.",
    unanswered: "Not answered", yes: "Yes", no: "No", none: "None of these",
    notCounted: "Not understood, treated as unanswered: ",
    wholeYuan: "An amount such as 8,000,000, 8 million, 800万 or 0.8亿 (a whole number of yuan).",
    wholeCount: "A whole number, 0 or more.", codeHelp: "Two digits.",
    answered: (n) => (n ? `${n} answered` : ""),
    status: { eligible: "may apply", conditional: "may apply if the requirements listed are met", unknown: "needs answers",
              ineligible: "not met", not_in_force: "not in force", programme: "government programme, not applied for" },
    section: (s, n) => ({ eligible: "May apply", conditional: "May apply if the requirements listed are met",
                          unknown: "Need answers", ineligible: "Not met", not_in_force: "Not in force on this date",
                          programme: "Government programmes (no company applies)" })[s] + ` (${n})`,
    period: { once: "once", per_year: "per year", unstated: "period not stated" },
    upTo: (y) => `, up to ${y} years`,
    capScope: " (or in all: the text does not say)", anotherPart: (p) => ` (another part: ${p})`,
    secondaryCount: (n) => `Measures whose amounts are only in a secondary summary: ${n} (not added up; each amount is on its result)`,
    most: "Up to", noAmount: "The text states no amount a company can receive",
    unbounded: "The amount depends on unanswered questions",
    per: { project: "per project", model: "per model", standard: "per standard", event: "per event" },
    award: { competitive: "competitive: only those selected receive it",
             pool: "a city-wide pool shared by every applicant; no amount per company is stated",
             "in-kind": "in kind", "non-monetary": "non-monetary support" },
    requirements: "Also required (not asked here; the office decides)", notices: "Notes",
    countedIn: { entitled: "counted in the total", conditional: "apart: requirements not asked",
                 competitive: "apart: competitive", validity_unknown: "apart: validity not found",
                 secondary_source: "apart: amount only in a secondary summary" },
    yuan: "yuan", wan: () => "",
    inTotal: "counted in the total", notInTotal: "not counted in the total",
    warnings: "Notes", whyNot: "Conditions not met", missing: "Questions to answer", hints: "What if", steps: "How it is worked out, clause by clause",
    goToField: (label) => `answer: ${label}`, linkSep: "; ",
    totalTitle: "Total of entitlements (an upper bound, not a promise)",
    counted: (n) => `${n} measure${n === 1 ? "" : "s"} counted.`,
    apart: "Shown apart, not in the total:",
    unknownNote: (n) => (n ? `${n} more need${n === 1 ? "s" : ""} answers and ${n === 1 ? "is" : "are"} not counted.` : ""),
    excluded: "Not counted under “not both” rules:", capped: "Reduced to a shared cap:",
    asOf: (d) => `Date of assessment: ${d}`,
    live: (c, total) => `${c.eligible} may apply, ${c.conditional} may apply if requirements are met, ` +
                        `${c.unknown} need answers, ${c.ineligible} not met, ${c.not_in_force} not in force; ` +
                        `entitlements up to ${total}.`,
    noneInSection: "(none)",
    share: "Make a share link", shareDone: "Link copied. The figures are after the “#”, which browsers never send to the server.",
    shareCopyFailed: "Copy the link below.", shareLabel: "Share link",
    print: "Print a summary", clear: "Clear", toResults: "Go to the results", stickyLink: "Results ↓",
    sticky: (c, total) => `${c.eligible} may apply · up to ${total}`,
    badFragment: "The company profile in this link cannot be read (it may be cut short or damaged); the form is empty.",
    oldFragment: (v, cur) => `This link uses profile format ${v}; this page reads format ${cur}. The form is empty: please enter the figures again.`,
    rejectedFragment: "The company profile in this link has errors, so the form is empty:",
    longFragment: (n) => `The company profile in this link is longer than ${fmt(n)} characters: not a link this page made. The form is empty.`,
    deepFragment: (n) => `The company profile in this link is nested more than ${n} levels deep: not a link this page made. The form is empty.`,
    unknownField: "unknown field", notExact: "a number too large to be read exactly", wrongKind: (k) => `must be ${k}`,
    kinds: { bool: "true or false", number: "a number", text: "text", list: "a list of texts" },
    formErrors: "Please correct:",
    profileTitle: "The answers given",
    policyPage: "policy page",
    schemaFailed: "The list of questions (profile-schema.json) could not be read: ",
    stored: "Your answers are kept only in this browser (this device's local storage) and are never sent anywhere; " +
            "they stay after a language switch, Back or a reload.",
    forget: "Forget my answers on this device",
    forgotten: "The answers saved on this device are forgotten; the form is empty. This can be undone.",
    cleared: "All answers cleared.", undo: "Undo",
    viewingLink: "You are looking at the answers in a share link; the answers saved on this device are unchanged.",
    backToSaved: "Back to my saved answers", keepLink: "Keep these as my answers",
    badSaved: "The answers saved on this device could not be read and were removed:",
    coverage: (place, covered) => `${place} has no policy of its own here yet. Covered: ${covered}. ` +
                                  "The results below are the city-wide policies only.",
    cityNotInForce: (d) => `None of the city-wide policies covered here is in force on the date of assessment, ${d}, ` +
                           "so no city-wide measure may apply.",
    nothingHere: (place) => `No measure covered here may apply to a company in ${place}.`,
    validityUnknown: (names) => `The period of validity of ${names} was not found: check with the issuing office ` +
                                "whether it is in force. Its amounts are shown apart, not in the total.",
    apartNote: (reasons) => `The amounts shown apart are not amounts to plan on: ${reasons.join("; ")}.`,
    apartWhy: { conditional: "they depend on requirements this checker does not ask",
                competitive: "competitive awards go only to those selected",
                validity_unknown: "whether a policy of unknown validity is in force must be checked with its issuing office",
                secondary_source: "amounts found only in a secondary summary are not verified against the official text" },
    showAll: (n) => `Show every question (${n} more cannot change a result for your answers so far)`,
    showFewer: "Only the questions that can change a result",
    review: (n) => (n ? `Check your answers (${n})` : "Check your answers (none given yet)"), change: "change",
    howToApply: "How to apply", applyFor: (measure) => `How to apply: ${measure}`, todayDefault: " (today, by default)",
    industryHelp: "Type an industry's name or its two-digit code and pick it from the list.",
    industryPick: "Pick an industry from the list, or type its two-digit code (e.g. 65).",
    industryMany: (text, n) => `“${text}” fits ${n} industries: pick one, or type more of its name:`,
    printed: (d) => `Printed on ${d}`, sourcesTitle: "The policies' sources and status",
    shareLinkTitle: "Share link (with the answers above)",
  },
};

// How long Python may take to arrive before the page says so. A runtime file that never arrives (and a
// runtime that waits for ever on a broken one) left "Downloading…" on screen with no end; the worker names
// a missing file at once (worker.js), this limit covers a stalled connection. Python arriving later still
// replaces the message. SECURITY.md lists the limits.
const BOOT_LIMIT_MS = 60_000;

// One worker for the whole visit: Material's instant navigation may mount the page again. The page's first
// script (docs/checker*.md) starts it before this module has even loaded; adopt it with what it said so far.
let shared = null;
function worker() {
  if (shared === null) {
    const early = globalThis.__checkerBoot;
    const w = early ? early.worker : new Worker(new URL("worker.js", BASE), { type: "module" });
    shared = { worker: w, state: "loading", stage: "runtime", ready: null, failure: null, timedOut: null };
    const track = (data) => {
      if (data.type === "progress") shared.stage = data.stage;
      if (data.type === "ready") Object.assign(shared, { state: "ready", ready: data });
      if (data.type === "failed") Object.assign(shared, { state: "failed", failure: data.message, timedOut: data.timedOut ?? null });
    };
    if (early) {
      early.stop();
      early.seen.forEach(track);
    }
    w.addEventListener("message", ({ data }) => track(data));
    // A failure outside the worker's own messages reaches the page as one: every listener shows it.
    const fail = (data) => { if (shared.state === "loading") w.dispatchEvent(new MessageEvent("message", { data })); };
    w.addEventListener("error", (e) => fail({ type: "failed", message: e.message || "worker error" }));
    w.addEventListener("messageerror", () => fail({ type: "failed", message: "unreadable message from the worker" }));
    const limit = globalThis.__checkerBootLimitMs ?? BOOT_LIMIT_MS; // the browser tests shorten it
    setTimeout(() => fail({ type: "failed", message: null, timedOut: Math.round(limit / 1000) }), limit);
    w.addEventListener("message", ({ data }) => keepForLater(data));
  }
  return shared;
}

// Second visits and offline: once the first result is in (nothing then competes with Python's start), a
// service worker (../sw.js) keeps this build's checker; the worker names the data parts it fetched, kept too.
// globalThis.__checkerOffline settles once they are kept.
const toKeep = [];
let offline = null;
function keepForLater(data) {
  if (data.type === "files") toKeep.push(...data.urls);
  if (!("serviceWorker" in navigator)) return;
  if (offline === null) {
    if (data.type !== "result") return;
    // updateViaCache: a new build is looked for through the HTTP cache, so a second visit soon after the first
    // asks the server for nothing.
    offline = navigator.serviceWorker.register(new URL("../sw.js", BASE), { updateViaCache: "all" })
      .then(() => navigator.serviceWorker.ready);
  } else if (data.type !== "files") {
    return;
  }
  const urls = toKeep.splice(0);
  globalThis.__checkerOffline = offline.then((registration) => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(true);
    registration.active.postMessage({ type: "keep", urls }, [channel.port2]);
  })).catch(() => false); // no service worker (a private window may refuse one): the checker works as before
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== "") node.append(c);
  return node;
}

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export function encodeProfile(profile) {
  const bytes = new TextEncoder().encode(JSON.stringify(profile));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// A share link's profile is about 1 KB, an object holding values and lists of texts. Links from anyone
// are refused before parsing when far longer or deeper (deep nesting overflowed the stack with no message),
// and after parsing when a number cannot be held exactly (1e400 showed as ∞).
export const MAX_FRAGMENT = 8192; // characters of base64url
export const MAX_DEPTH = 3;

export class LinkProblem extends Error {
  constructor(kind, limit) {
    super(`${kind} (limit ${limit})`);
    Object.assign(this, { kind, limit });
  }
}

// How deep brackets nest outside strings, counting no further than the limit allows.
function nesting(json, limit) {
  let depth = 0, inString = false, escaped = false;
  for (const ch of json) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "[" || ch === "{") { if (++depth > limit) return depth; }
    else if (ch === "]" || ch === "}") depth -= 1;
  }
  return depth;
}

export function decodeProfile(text) {
  if (text.length > MAX_FRAGMENT) throw new LinkProblem("long", MAX_FRAGMENT);
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const bin = atob(b64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  const json = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  if (nesting(json, MAX_DEPTH) > MAX_DEPTH) throw new LinkProblem("deep", MAX_DEPTH);
  const value = JSON.parse(json);
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
  return value;
}

// A number JavaScript holds exactly: finite, and a safe integer when whole (9007199254740993 would change).
const exactNumber = (n) => Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n));

// A key as the notice shows it: invisible and direction-changing characters escaped, long keys cut.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const shownKey = (k) => {
  const text = k.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};

const fmt = (n) => n.toLocaleString("en-US");

// Amounts as people type them: "8,000,000", "800万", "800 万元", "0.8亿", "8 million" → whole yuan, exactly (the
// decimal is shifted as text, never through floating point); null when it is not a whole number of yuan.
const SCALES = { "": 0, "元": 0, "yuan": 0, "万": 4, "万元": 4, "亿": 8, "亿元": 8, "million": 6, "m": 6,
                 "billion": 9, "bn": 9 };
export function parseAmount(text) {
  const s = String(text).normalize("NFKC").trim().toLowerCase().replace(/[,\s_']/g, "");
  const m = /^([0-9]+)(?:\.([0-9]+))?(元|yuan|万元?|亿元?|million|m|billion|bn)?$/.exec(s);
  if (!m) return null;
  const shift = SCALES[m[3] || ""], fraction = m[2] || "";
  if (fraction.replace(/0+$/, "").length > shift) return null; // 1.23456万 is not a whole number of yuan
  const digits = (m[1] + fraction.padEnd(shift, "0").slice(0, shift)).replace(/^0+(?=[0-9])/, "");
  return digits.length > 15 ? null : Number(digits);
}

// Counts: a whole number, with thousands separators allowed.
export function parseCount(text) {
  const s = String(text).normalize("NFKC").trim().replace(/[,\s_']/g, "");
  return /^[0-9]{1,15}$/.test(s) ? Number(s) : null;
}

export async function mount(root) {
  if (!root || root.dataset.mounted) return;
  root.dataset.mounted = "1";
  const lang = root.dataset.lang === "en" ? "en" : "zh";
  const t = T[lang];
  const money = (n) => `${fmt(n)} ${t.yuan}${n >= 10000 ? t.wan(fmt(n / 10000)) : ""}`;
  const w = worker();
  if (!document.getElementById("ck-css")) {
    document.head.append(el("link", { id: "ck-css", rel: "stylesheet", href: new URL("checker.css", BASE).href }));
  }
  document.body.classList.add("ck-page"); // the page-wide rules of checker.css (not body:has(): it costs each change)

  // ── skeleton ────────────────────────────────────────────────────────────────────────────────
  const statusText = el("span");
  const bar = el("progress", { max: "3", "aria-hidden": "true" });
  const loading = el("div", { class: "ck-loading", role: "status" }, bar, statusText);
  const formBox = el("form", { class: "ck-form", novalidate: true, "aria-label": lang === "zh" ? "企业资料" : "Company profile",
                               onsubmit: (e) => e.preventDefault() });
  const notice = el("div", { class: "ck-notice", role: "alert", hidden: true });
  const live = el("div", { class: "ck-live", "aria-live": "polite", "aria-atomic": "true" });
  const results = el("div", { class: "ck-results", id: "ck-results", tabindex: "-1" });
  const shareOut = el("div", { class: "ck-share", hidden: true });
  const tools = el("div", { class: "ck-tools" },
    el("button", { type: "button", class: "md-button md-button--primary", text: t.share, onclick: () => share() }),
    el("button", { type: "button", class: "md-button", text: t.print, onclick: () => window.print() }),
    el("button", { type: "button", class: "md-button", text: t.clear, onclick: () => clearAll() }),
    el("button", { type: "button", class: "md-button ck-forget", text: t.forget, onclick: () => forget() }));
  const storedNote = el("p", { class: "ck-stored", text: t.stored });
  const coverageNote = el("div", { class: "ck-coverage", "data-notice": "district-coverage", role: "status", hidden: true });
  const review = el("details", { class: "ck-review" }, el("summary", {}), el("dl"));
  const showAllButton = el("button", { type: "button", class: "md-button ck-show-all", hidden: true,
                                       onclick: () => { showAll = !showAll; fitQuestions(); } });
  // On a phone the results come after the whole form: the total and the counts stay in view while filling in.
  const sticky = el("div", { class: "ck-sticky", "aria-hidden": "true" },
    el("span", { class: "ck-sticky-text" }), el("a", { href: "#ck-results", text: t.stickyLink, tabindex: "-1" }));
  root.replaceChildren(
    loading, notice,
    el("div", { class: "ck-grid" },
      el("div", { class: "ck-left" }, el("a", { class: "ck-skip", href: "#ck-results", text: t.toResults }), formBox,
         showAllButton, sticky),
      el("div", { class: "ck-right" }, tools, storedNote, shareOut, coverageNote, live, review, results)));

  function showLoading() {
    if (w.state === "ready") {
      loading.classList.remove("ck-failed"); // Python arrived after the time limit: the message goes
      bar.hidden = false;
      loading.classList.add("ck-done");
      bar.value = 3;
      statusText.textContent = t.ready((w.ready.ms / 1000).toFixed(1));
    } else if (w.state === "failed") {
      loading.classList.add("ck-failed");
      bar.hidden = true;
      statusText.replaceChildren(t.failed + (w.timedOut ? t.timedOut(w.timedOut) : w.failure) + " ",
        el("a", { href: root.dataset.tables || "../", text: t.failedHint }));
    } else {
      bar.value = { runtime: 0.5, package: 2, data: 2.5 }[w.stage] ?? 0;
      statusText.textContent = t.loading[w.stage] + " " + t.waiting;
    }
  }
  showLoading();

  // ── the form ───────────────────────────────────────────────────────────────────────────────
  let schema;
  try {
    const resp = await fetch(new URL("profile-schema.json", BASE));
    if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
    schema = await resp.json();
  } catch (err) {
    notice.hidden = false;
    notice.textContent = t.schemaFailed + err.message;
    return;
  }
  const fields = schema.fields;
  const fieldById = Object.fromEntries(fields.map((f) => [f.id, f]));
  // "65 软件和信息技术服务业（I 信息传输、软件和信息技术服务业）": what the industry list shows and accepts.
  const industryNames = (schema.industries?.sections ?? []).flatMap((sec) => sec.groups.map((g) =>
    [g.code, `${g.code} ${g[lang]}${lang === "zh" ? "（" : " ("}${sec.code} ${sec[lang]}${lang === "zh" ? "）" : ")"}`]));
  // Accepted as typed: the list's entry, the code, or a major group's name alone in either language.
  const industryByName = new Map(industryNames.map(([code, name]) => [name, code]));
  for (const sec of schema.industries?.sections ?? []) {
    for (const g of sec.groups) for (const l of ["zh", "en"]) industryByName.set(g[l].toLowerCase(), g.code);
  }
  const industryName = (code) => industryNames.find(([c]) => c === code)?.[1] ?? code;
  // The major groups whose name (either language) holds the words typed: "Retail" is 52 alone.
  const industryGroups = (schema.industries?.sections ?? []).flatMap((sec) => sec.groups);
  const industryFits = (raw) => {
    const q = raw.toLowerCase();
    return industryGroups.filter((g) => g.zh.includes(raw) || g.en.toLowerCase().includes(q)).map((g) => g.code);
  };
  const storedHelp = (f) => (f.id === "industry_code" && schema.industries ? t.industryHelp : f.help?.[lang]);
  const inputs = {};
  const messages = {};
  let editing = null; // the text field being typed in, until it is left
  const MAX_CHOICES = 8; // industries offered for words that fit several
  const groupBoxes = {};

  for (const group of schema.groups) {
    const members = fields.filter((f) => f.group === group.id);
    const count = el("span", { class: "ck-count" });
    const box = el("details", { class: "ck-group", open: ["basics", "status", "activities", "spending"].includes(group.id) },
      el("summary", {}, el("span", { text: group.label[lang] }), count));
    groupBoxes[group.id] = { box, count, members };
    for (const f of members) box.append(fieldControl(f));
    formBox.append(box);
  }

  function fieldControl(f) {
    const id = `f-${f.id}`;
    const helpId = `${id}-help`;
    const help = storedHelp(f) ? el("p", { class: "ck-help", id: helpId, text: storedHelp(f) }) : null;
    const msg = el("p", { class: "ck-msg", id: `${id}-msg`, "aria-live": "polite" });
    messages[f.id] = msg;
    const describedBy = [help ? helpId : null, `${id}-msg`].filter(Boolean).join(" ");
    const wrap = el("div", { class: `ck-field ck-${f.type}`, "data-field": f.id });
    if (f.type === "set" || f.type === "bool") {
      const set = el("fieldset", { "aria-describedby": describedBy }, el("legend", { text: f.label[lang] }));
      let options;
      if (f.type === "bool") {
        options = [["", t.unanswered], ["true", t.yes], ["false", t.no]].map(([v, label]) =>
          el("label", { class: "ck-option" },
            el("input", { type: "radio", name: id, value: v, id: v === "" ? id : `${id}-${v}`, checked: v === "" }), label));
      } else {
        options = f.values.map((v) => el("label", { class: "ck-option" },
          el("input", { type: "checkbox", name: id, value: v.id, id: `${id}-${v.id}`,
                        checked: (f.default || []).includes(v.id) }), v[lang]));
        if (!f.default) {
          options.push(el("label", { class: "ck-option ck-none" },
            el("input", { type: "checkbox", name: id, value: "", id: `${id}--none` }), t.none));
        }
      }
      set.append(el("div", { class: "ck-options" }, options), ...[help, msg].filter(Boolean));
      wrap.append(set);
      inputs[f.id] = set;
      return wrap;
    }
    let input;
    if (f.type === "enum") {
      input = el("select", { id, "aria-describedby": describedBy },
        el("option", { value: "", text: `— ${t.unanswered} —` }),
        f.values.map((v) => el("option", { value: v.id, text: v[lang] })));
    } else if (f.type === "date") {
      input = el("input", { type: "date", id, value: f.id === "as_of" ? today() : "", min: schema.limits.earliest,
                            max: schema.limits.latest, "aria-describedby": describedBy });
    } else if (f.id === "industry_code" && schema.industries) {
      // Chosen by name (GB/T 4754—2017), stored as the two-digit code.
      const list = el("datalist", { id: `${id}-list` }, industryNames.map(([, name]) => el("option", { value: name })));
      input = el("input", { type: "text", id, list: `${id}-list`, autocomplete: "off", "aria-describedby": describedBy,
                            placeholder: t.unanswered });
      wrap.append(list);
    } else {
      input = el("input", { type: "text", id, inputmode: f.type === "yuan" ? "text" : "numeric", autocomplete: "off",
                            "aria-describedby": describedBy, placeholder: t.unanswered, maxlength: "30" });
    }
    const unit = f.unit === "yuan" ? el("span", { class: "ck-unit", text: t.yuan }) : null;
    wrap.append(el("label", { for: id, text: f.label[lang] }), el("div", { class: "ck-input" }, input, unit),
                ...[help, msg].filter(Boolean));
    inputs[f.id] = input;
    return wrap;
  }

  // Reading the form: unanswered is null (unknown), never zero.
  function readField(f) {
    const node = inputs[f.id];
    if (f.type === "bool") {
      const v = node.querySelector("input:checked")?.value ?? "";
      return { value: v === "" ? null : v === "true" };
    }
    if (f.type === "set") {
      const boxes = [...node.querySelectorAll("input[type=checkbox]")];
      if (boxes.some((b) => b.value === "" && b.checked)) return { value: [] };
      const picked = boxes.filter((b) => b.checked && b.value).map((b) => b.value);
      return { value: picked.length ? picked : null };
    }
    const raw = node.value.trim();
    if (raw === "") return { value: null };
    if (f.type === "enum") return { value: raw };
    if (f.type === "date") return { value: raw };
    if (f.type === "code") {
      const code = industryByName.get(raw) ?? industryByName.get(raw.toLowerCase()) ??
        (/^[0-9]{2}$/.test(raw) ? raw : /^([0-9]{2})\s/.exec(raw)?.[1]);
      if (!code || (industryNames.length && !industryNames.some(([c]) => c === code))) {
        // Never dropped silently: words that fit one group are that group; several are offered; none is an error.
        const fits = industryNames.length ? industryFits(raw) : [];
        if (fits.length === 1) return { value: fits[0], echo: `= ${industryName(fits[0])}` };
        if (fits.length > 1) return { value: null, error: t.industryMany(raw, fits.length), choices: fits };
        return { value: null, error: industryNames.length ? t.industryPick : t.codeHelp };
      }
      return { value: code, echo: industryNames.length ? `= ${industryName(code)}` : "" };
    }
    const value = f.type === "yuan" ? parseAmount(raw) : parseCount(raw);
    if (value === null || value > schema.limits.largest) {
      return { value: null, error: f.type === "yuan" ? t.wholeYuan : t.wholeCount };
    }
    return { value, echo: f.type === "yuan" ? `= ${money(value)}` : "" };
  }

  function readProfile() {
    const profile = {};
    for (const f of fields) {
      const read = readField(f);
      const { value, echo, choices } = read;
      // A text still being typed ("0.", "R") is not wrong yet: its message waits until the field is left.
      const error = f.id === editing ? null : read.error;
      // Written only when different: each write would make the browser restyle the form on the next frame.
      const msg = messages[f.id];
      const offered = error && choices ? choices.slice(0, MAX_CHOICES) : [];
      const text = (error ? t.notCounted + error : echo || "") + offered.map((c) => ` ${industryName(c)}`).join("") +
        (error && choices && choices.length > MAX_CHOICES ? " …" : "");
      if (msg.textContent !== text) {
        msg.replaceChildren(error ? t.notCounted + error : echo || "", ...offered.flatMap((c) => [" ",
          el("button", { type: "button", class: "ck-choice", text: industryName(c),
                         onclick: () => { inputs[f.id].value = industryName(c); inputs[f.id].focus(); changed(); } })]),
          error && choices && choices.length > MAX_CHOICES ? " …" : "");
      }
      if (msg.classList.contains("ck-error") !== Boolean(error)) msg.classList.toggle("ck-error", Boolean(error));
      const invalid = error ? "true" : "false";
      if (inputs[f.id].getAttribute("aria-invalid") !== invalid) inputs[f.id].setAttribute("aria-invalid", invalid);
      if (value === null) continue;
      if (f.id === "as_of" && value === today()) continue; // today is the default; a link stays current
      if (f.id === "entity_kinds" && value.length === 1 && value[0] === "enterprise") continue; // the default
      profile[f.id] = value;
    }
    for (const { count, members } of Object.values(groupBoxes)) {
      const n = t.answered(members.filter((f) => f.id in profile).length);
      if (count.textContent !== n) count.textContent = n;
    }
    return profile;
  }

  function clearForm() {
    editing = null;
    for (const f of fields) {
      const node = inputs[f.id];
      if (f.type === "bool") node.querySelectorAll("input").forEach((i) => { i.checked = i.value === ""; });
      else if (f.type === "set") node.querySelectorAll("input").forEach((i) => { i.checked = (f.default || []).includes(i.value); });
      else node.value = f.id === "as_of" ? today() : "";
    }
  }

  function fillForm(profile) {
    clearForm();
    for (const [key, value] of Object.entries(profile)) {
      const f = fieldById[key];
      if (!f || value === null) continue;
      const node = inputs[key];
      if (f.type === "bool") node.querySelectorAll("input").forEach((i) => { i.checked = i.value === String(value); });
      else if (f.type === "set") {
        node.querySelectorAll("input").forEach((i) => {
          i.checked = i.value === "" ? value.length === 0 : value.includes(i.value);
        });
      } else if (f.type === "yuan" || f.type === "count") node.value = fmt(value);
      else if (f.id === "industry_code") node.value = industryName(String(value));
      else node.value = String(value);
      if (f.group !== "basics") groupBoxes[f.group].box.open = true;
    }
  }

  // A quick structural check, so that a bad link never half-fills the form; the calculator checks the rest.
  // Keys are looked up as own properties only: `constructor` or `__proto__` is in every object (`in` found
  // them, and filling the form threw). Each value must be of its field's kind, numbers exactly readable.
  const KIND = { bool: "bool", yuan: "number", count: "number", set: "list" };
  const ofKind = {
    bool: (v) => typeof v === "boolean",
    number: (v) => typeof v === "number",
    text: (v) => typeof v === "string",
    list: (v) => Array.isArray(v) && v.every((x) => typeof x === "string"),
  };
  function fragmentProblem(profile) {
    const version = Object.hasOwn(profile, "profile_version") ? profile.profile_version : schema.profile_version;
    if (version !== schema.profile_version) {
      return [t.oldFragment(typeof version === "number" && exactNumber(version) ? version : "?", schema.profile_version), []];
    }
    const lines = [];
    for (const [key, value] of Object.entries(profile)) {
      if (key === "profile_version") continue;
      // A retired field is read (the calculator says its answer is no longer used): old links keep opening.
      if (schema.retired && Object.hasOwn(schema.retired, key)) continue;
      if (!Object.hasOwn(fieldById, key)) { lines.push(`${shownKey(key)}: ${t.unknownField}`); continue; }
      if (value === null) continue; // unanswered
      const kind = KIND[fieldById[key].type] ?? "text";
      if (!ofKind[kind](value)) lines.push(`${key}: ${t.wrongKind(t.kinds[kind])}`);
      else if (kind === "number" && !exactNumber(value)) lines.push(`${key}: ${t.notExact}`);
    }
    return lines.length ? [t.rejectedFragment, lines] : null;
  }

  // ── evaluation ─────────────────────────────────────────────────────────────────────────────
  let seq = 0;
  let lastProfile = {};
  let fromFragment = false;
  let keepNotice = false; // a message about a link stays until the user changes something
  let dirty = false; // answers changed while an evaluation was on its way
  // The rows of the last answer applied; the worker sends in full only the rows that differ from them.
  const held = new Map();
  let heldId = null;

  function changed() {
    keepNotice = viewingLink; // the link's notice (and its way back) stays while its answers are edited
    // No debounce: one evaluation at a time, the next as soon as it is back, with the answers as they are
    // then. An evaluation takes a few milliseconds, so results follow the typing without piling up.
    if (root.dataset.pending) dirty = true;
    else evaluate();
  }

  // A profile from a link is checked as it is (the calculator rejects it whole); the form's own reading of
  // it could drop a bad value silently.
  function evaluate(fragmentProfile = null) {
    fromFragment = fragmentProfile !== null;
    lastProfile = readProfile();
    if (fromFragment) lastProfile = fragmentProfile;
    else remember(lastProfile);
    w.worker.postMessage({ type: "evaluate", id: ++seq, profile: lastProfile, today: today(), base: heldId });
    root.dataset.pending = String(seq);
  }

  function onMessage(message) {
    handleMessage(message);
    if (dirty && !root.dataset.pending) {
      dirty = false;
      evaluate();
    }
  }

  function handleMessage({ data }) {
    if (!root.isConnected) {
      w.worker.removeEventListener("message", onMessage);
      return;
    }
    if (data.type === "progress" || data.type === "ready" || data.type === "failed") {
      showLoading();
      if (data.type === "failed") root.dataset.state = "failed";
      return;
    }
    if (data.type !== "result" || data.id !== seq) return; // a newer request is on its way
    delete root.dataset.pending;
    if (data.json !== undefined) Object.assign(data, JSON.parse(data.json));
    if (data.errors) {
      if (fromFragment) {
        clearForm();
        if (openedFrom === "saved") store.drop();
        showNotice(openedFrom === "saved" ? t.badSaved : t.rejectedFragment, data.errors, true);
        evaluate();
        return;
      }
      showNotice(t.formErrors, data.errors);
      return;
    }
    if (data.failure) {
      showNotice(t.failed, [data.failure]);
      return;
    }
    const report = data.report;
    if (report.notices && report.notices.length) showNotice(t.notices, report.notices.map((n) => n.text[lang]), true);
    else if (!keepNotice) hideNotice();
    for (const [key, r] of Object.entries(report.changed)) held.set(key, r);
    const order = new Set(report.order);
    for (const key of held.keys()) if (!order.has(key)) held.delete(key);
    heldId = data.id;
    report.results = report.order.map((key) => held.get(key));
    render(report, new Set(Object.keys(report.changed)));
    fitQuestions(report);
    fitCoverage(report.profile, report);
    drawReview();
    if (root.dataset.state !== "done") restoreScroll();
    root.dataset.state = "done";
    root.dataset.evaluations = String(Number(root.dataset.evaluations || 0) + 1);
  }
  w.worker.addEventListener("message", onMessage);
  // Python may have become ready (or failed) while the questions were being fetched.
  showLoading();
  if (w.state === "failed") root.dataset.state = "failed";

  function showNotice(head, lines = [], sticky = false, actions = []) {
    keepNotice = sticky;
    notice.hidden = false;
    notice.replaceChildren(el("p", { text: head }), lines.length ? el("ul", {}, lines.map((l) => el("li", { text: l }))) : "",
                           actions.length ? el("p", { class: "ck-actions" }, actions) : "");
  }
  const action = (text, onclick) => el("button", { type: "button", class: "md-button", text, onclick });
  function hideNotice() {
    notice.hidden = true;
    notice.replaceChildren();
  }

  // ── results ────────────────────────────────────────────────────────────────────────────────
  const policyName = (id) => {
    const p = w.ready?.policies.find((x) => x.id === id);
    return p ? (p.short_title || p.title)[lang] : id;
  };
  const href = (cite) => `../policies/${encodeURIComponent(cite.policy)}/` +
                         (cite.measure ? `${encodeURIComponent(cite.measure)}/` : "");

  // "Up to 2,000,000 yuan per project · period not stated · competitive: only those selected receive it".
  function amountText(r) {
    const awards = (r.awards || []).filter((a) => a !== "entitlement").map((a) => t.award[a]);
    const tail = awards.length ? ` · ${awards.join(" · ")}` : "";
    if (r.max_amount !== null) {
      // As calculator/cli.period_text: a yearly cap the text may mean for the whole run says so; a row of
      // several periods names the first and then "another part".
      const periods = (r.periods || []).map((p) => t.period[p] +
        (p === "per_year" && r.cap_scope_unstated ? t.capScope : "") + (p === "per_year" && r.years ? t.upTo(r.years) : ""));
      const pers = [...new Set(r.benefits.filter((b) => b.per !== "enterprise" && (b.amount !== null || b.bound !== null))
        .map((b) => t.per[b.per]).filter(Boolean))];
      return `${t.most} ${money(r.max_amount)}${pers.length ? " " + pers.join("、") : ""}` +
        (periods.length ? ` · ${periods[0]}${periods.slice(1).map(t.anotherPart).join("")}` : "") + tail;
    }
    if (r.status === "eligible" || r.status === "conditional") return t.noAmount + tail;
    if (r.status === "unknown") return (r.benefits.some((b) => b.kind !== "in_kind") ? t.unbounded : t.noAmount) + tail;
    return "";
  }

  function list(title, items, cls) {
    if (!items.length) return null;
    return el("div", { class: `ck-list ${cls}` }, el("p", { class: "ck-list-title", text: title }), el("ul", {}, items));
  }

  function row(r) {
    // Each link names its question: two links with one text went to two different fields.
    const fieldLinks = (fieldsOf) => fieldsOf.filter((f) => Object.hasOwn(fieldById, f) &&
                                                       !Object.hasOwn(lastProfile, f)).flatMap((f, i) => [
      i ? t.linkSep : "",
      el("a", { href: `#f-${f}`, class: "ck-go", text: `→ ${t.goToField(fieldById[f].label[lang])}`,
                onclick: (e) => { e.preventDefault(); focusField(f); } })]);
    const steps = () => r.explanation.map((s) => el("li", {},
      el("span", { text: s.text[lang] }), " ",
      el("a", { href: href(s.cite), class: "ck-cite",
                text: s.cite.measure ? `${policyName(s.cite.policy)} ${s.cite.measure === r.measure ? r.number[lang] : s.cite.measure}`
                                     : policyName(s.cite.policy) }),
      s.cite.quote ? el("q", { class: "ck-quote", lang: "zh", text: s.cite.quote }) : null));
    // The explanation is drawn when first opened (or printed): most are never opened, and drawing every
    // one on each keystroke was most of the time to update the results.
    const stepList = el("ol", {});
    const fill = () => { if (!stepList.childElementCount) stepList.append(...steps()); };
    // click (mouse, Enter, Space) draws before the details opens; toggle covers opening from script.
    const explanation = el("details", { class: "ck-steps", ontoggle: fill },
      el("summary", { text: t.steps, onclick: fill }), stepList);
    // Where the amount counts: the headline total, or which sub-total shown apart.
    const countedIn = Object.keys(r.counted || {});
    // A row that needs answers is counted nowhere yet, but what will keep it apart is known already (the
    // calculator's `apart`: the policy's source or dates decide it, not the answers).
    const apartAlready = r.status === "unknown" && r.max_amount ? r.apart || [] : [];
    const counted = (r.status === "eligible" || r.status === "conditional") && r.max_amount
      ? (countedIn.length ? countedIn.map((k) => t.countedIn[k]).join(lang === "zh" ? "；" : "; ") : t.notInTotal)
      : (apartAlready.length ? apartAlready.map((k) => t.countedIn[k]).join(lang === "zh" ? "；" : "; ") : null);
    return el("article", { class: `ck-row ck-s-${r.status}`, "data-measure": `${r.policy}/${r.measure}`,
                           "data-status": r.status, "data-max-amount": r.max_amount === null ? "" : String(r.max_amount) },
      el("header", {},
        el("span", { class: "ck-badge", text: t.status[r.status] }),
        el("h3", {}, el("a", { href: href(r), text: `${policyName(r.policy)} · ${r.number[lang]} ${r.title[lang]}` })),
        el("p", { class: "ck-amount" }, amountText(r), counted ? el("span", { class: `ck-counted${r.in_total ? "" : " ck-no"}`, text: counted }) : null),
        // Named with its measure: 75 links all read "How to apply" to a screen reader's list of links.
        el("a", { href: `${href(r)}#apply`, class: "ck-apply", text: t.howToApply,
                  "aria-label": t.applyFor(`${policyName(r.policy)} · ${r.number[lang]} ${r.title[lang]}`) })),
      list(t.requirements, (r.requirements || []).map((q) => el("li", { "data-requirement": q.id },
        q.label[lang], " ", el("q", { class: "ck-quote", lang: "zh", text: q.quote }))), "ck-requirements"),
      list(t.whyNot, unique(r.failed).map((x) => el("li", {}, x.text[lang])), "ck-failed-list"),
      list(t.missing, unique(r.missing).map((x) => el("li", {}, x.text[lang], " ", fieldLinks(x.fields))), "ck-missing-list"),
      list(t.hints, r.hints.map((h) => el("li", { text: h[lang] })), "ck-hints"),
      list(t.warnings, r.warnings.map((x) => el("li", { text: x.text[lang] })), "ck-warnings"),
      explanation);
  }

  // Two terms of a measure may ask the same question; say it once.
  function unique(items) {
    const seen = new Set();
    return items.filter((x) => !seen.has(x.text[lang]) && seen.add(x.text[lang]));
  }

  function focusField(id) {
    const f = fieldById[id];
    groupBoxes[f.group].box.open = true;
    const node = inputs[id];
    const target = node.tagName === "FIELDSET" ? node.querySelector("input") : node;
    target.scrollIntoView({ block: "center" });
    target.focus();
  }

  // The results are drawn once, then changed in place: a row is drawn again only when its result changed,
  // and a section's rows are put back in order only when their order changed. Drawing the whole pane on
  // each keystroke made the browser lay out and paint all of it again.
  const drawn = new Map(); // row key → its <article>
  const pane = { total: null, profile: null, profileDrawn: true, sections: null };
  const SECTIONS = ["eligible", "conditional", "unknown", "ineligible", "not_in_force", "programme"];
  const keyOf = (r) => `${r.policy}/${r.measure}`;

  function render(report, changed) {
    const counts = Object.fromEntries(SECTIONS.map((s) => [s, 0]));
    for (const r of report.results) counts[r.status] += 1;
    const total = report.total;
    const liveText = t.live(counts, money(total.amount));
    if (live.textContent !== liveText) {
      live.textContent = liveText;
      // One line on a phone: what may apply and the total; the full counts are in the results.
      sticky.firstChild.textContent = t.sticky(counts, `${fmt(total.amount)} ${t.yuan}`);
    }
    for (const key of drawn.keys()) if (changed.has(key) || !held.has(key)) drawn.delete(key);
    const firstTime = pane.sections === null;
    if (firstTime) {
      pane.sections = Object.fromEntries(SECTIONS.map((status) => [status, section(status)]));
      pane.total = totalBox();
      pane.profile = el("section", { class: "ck-profile" });
    }
    pane.total.update(report);
    pane.profileDrawn = false; // drawn when printed: it is hidden on screen

    const byAmount = (a, b) => (b.max_amount ?? -1) - (a.max_amount ?? -1);
    for (const status of SECTIONS) {
      const sec = pane.sections[status];
      const rows = report.results.filter((r) => r.status === status);
      if (status === "eligible" || status === "conditional" || status === "unknown") rows.sort(byAmount);
      const heading = t.section(status, rows.length);
      if (sec.heading.textContent !== heading) sec.heading.textContent = heading;
      const keys = rows.map(keyOf);
      const nodes = rows.map((r) => {
        const key = keyOf(r);
        if (!drawn.has(key)) drawn.set(key, row(r));
        return drawn.get(key);
      });
      if (sec.keys && keys.length === sec.keys.length && keys.every((k, i) => k === sec.keys[i])) {
        nodes.forEach((node, i) => { if (sec.body.children[i] !== node) sec.body.children[i].replaceWith(node); });
      } else {
        sec.body.replaceChildren(...(nodes.length ? nodes : [el("p", { class: "ck-empty", text: t.noneInSection })]));
        sec.keys = keys;
      }
    }
    if (firstTime) results.replaceChildren(pane.total.node, pane.profile, ...SECTIONS.map((s) => pane.sections[s].node));
  }

  function section(status) {
    const heading = el("h2");
    const body = el("div", { class: "ck-rows" });
    const node = status === "eligible" || status === "conditional" || status === "unknown"
      ? el("section", { class: `ck-section ck-sec-${status}` }, heading, body)
      : el("details", { class: `ck-section ck-sec-${status}` }, el("summary", {}, heading), body);
    return { node, heading, body, keys: null };
  }

  // The total is drawn once and its texts changed in place: it changes with most keystrokes.
  function totalBox() {
    const amount = el("p", { class: "ck-total-amount" });
    const asOf = el("p", { class: "ck-asof" });
    const counted = el("p");
    const rules = el("div");
    const apart = el("div", { class: "ck-apart" });
    const note = el("p", { class: "ck-note" });
    const node = el("section", { class: "ck-total" }, el("h2", { text: t.totalTitle }), amount, asOf, counted, apart,
                    rules, note);
    let apartKey = null;
    const setText = (target, text) => { if (target.textContent !== text) target.textContent = text; };
    let rulesKey = null;
    function update(report) {
      const total = report.total;
      if (node.dataset.total !== String(total.amount)) node.dataset.total = String(total.amount);
      setText(amount, money(total.amount));
      setText(asOf, t.asOf(report.as_of));
      setText(counted, `${t.counted(total.counted.length)} ${t.unknownNote(total.unknown)}`);
      setText(note, total.note[lang]);
      // Every other kind of money, each on its own line and never added to the headline.
      const others = ["conditional", "competitive", "validity_unknown", "secondary_source"]
        .filter((k) => total[k] && total[k].amount);
      const key2 = others.map((k) => `${k}:${total[k].amount}:${total[k].counted.length}`).join("|");
      if (key2 !== apartKey) {
        // Amounts read in a blog are never added up into a figure of their own: their measures are counted.
        apart.replaceChildren(...(others.length ? [list(t.apart, others.map((k) => el("li", { "data-subtotal": k },
          k === "secondary_source" ? t.secondaryCount(total[k].counted.length)
            : `${total[k].label[lang]}${lang === "zh" ? "：" : ": "}${money(total[k].amount)}`)), "ck-subtotals"),
          el("p", { class: "ck-apart-note", text: t.apartNote(others.map((k) => t.apartWhy[k])) })] : []));
        apartKey = key2;
      }
      const key = JSON.stringify([total.excluded, total.capped]);
      if (key !== rulesKey) {
        const reasons = (items) => items.map((x) => el("li", { text: x.reason[lang] }));
        rules.replaceChildren(...[list(t.excluded, reasons(total.excluded), "ck-excluded"),
                                  list(t.capped, reasons(total.capped), "ck-capped")].filter(Boolean));
        rulesKey = key;
      }
    }
    return { node, update };
  }

  // For print: the answers the figures rest on, drawn when the page is printed.
  const drawProfile = () => {
    if (!root.isConnected) return window.removeEventListener("beforeprint", drawProfile);
    if (pane.profileDrawn || !pane.profile) return;
    pane.profile.replaceChildren(...profileSummary());
    pane.profileDrawn = true;
  };
  window.addEventListener("beforeprint", drawProfile);
  // The answers given, as a reader says them (the review and the printed summary).
  function answerRows(withLinks) {
    // A link's profile may carry profile_version or unanswered (null) fields: not answers to list.
    const answers = Object.entries({ as_of: lastProfile.as_of || today(), ...lastProfile })
      .filter(([k, v]) => Object.hasOwn(fieldById, k) && v !== null);
    return answers.flatMap(([k, v]) => {
      const f = fieldById[k];
      let text = v;
      if (f.type === "bool") text = v ? t.yes : t.no;
      else if (f.type === "enum") text = f.values.find((x) => x.id === v)?.[lang] ?? v;
      else if (f.type === "set") text = v.length ? v.map((id) => f.values.find((x) => x.id === id)?.[lang] ?? id).join("、") : t.none;
      else if (f.type === "yuan") text = money(v);
      else if (f.id === "industry_code") text = industryName(v);
      if (k === "as_of" && !Object.hasOwn(lastProfile, "as_of")) text += t.todayDefault;
      const change = withLinks ? [" ", el("a", { href: `#f-${f.id}`, class: "ck-go", text: t.change,
        "aria-label": `${t.change}: ${f.label[lang]}`, onclick: (e) => { e.preventDefault(); focusField(f.id); } })] : [];
      return [el("dt", { text: f.label[lang] }), el("dd", {}, String(text), change)];
    });
  }
  // For print: the date, the answers, the share link, and the status and kind of source of each policy.
  function profileSummary() {
    const url = `${location.origin}${location.pathname}#profile=${encodeProfile(lastProfile)}`;
    const sources = covered.flatMap((j) => j.policies.map((p) => el("li", {},
      `${p.short_title[lang]} — ${p.status[lang]}; ${p.source[lang]}`)));
    return [el("p", { text: t.printed(today()) }), el("h2", { text: t.profileTitle }), el("dl", {}, answerRows(false)),
            el("h2", { text: t.shareLinkTitle }), el("p", { class: "ck-print-link", text: url }),
            el("h2", { text: t.sourcesTitle }), el("ul", {}, sources)];
  }

  // ── sharing ────────────────────────────────────────────────────────────────────────────────
  async function share() {
    const url = `${location.origin}${location.pathname}#profile=${encodeProfile(lastProfile)}`;
    const box = el("input", { type: "text", readonly: true, value: url, "aria-label": t.shareLabel, class: "ck-share-url" });
    let message = t.shareDone;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      message = t.shareCopyFailed;
    }
    shareOut.hidden = false;
    shareOut.replaceChildren(el("p", { role: "status", text: message }), box);
    box.select();
  }

  // Back from a measure opened from the results: the results are drawn again after Python starts, too late for
  // the browser to restore the place; the page keeps it for this tab and goes back to it once drawn.
  // On a desktop the results scroll in their own pane (.ck-right), whose rows are laid out lazily
  // (content-visibility): a scroll offset would not find the same place, so the first row in view is kept by
  // its key, with how far it was from the pane's top.
  const SCROLL = `bjp-checker-scroll:${location.pathname}`;
  const resultsPane = () => root.querySelector(".ck-right");
  const keepScroll = () => {
    const pane = resultsPane();
    let anchor = null;
    if (pane && pane.scrollHeight > pane.clientHeight) {
      const top = pane.getBoundingClientRect().top;
      const row = [...pane.querySelectorAll("[data-measure]")].find((r) => r.getBoundingClientRect().bottom > top);
      if (row) anchor = { key: row.dataset.measure, offset: Math.round(row.getBoundingClientRect().top - top) };
    }
    try { sessionStorage.setItem(SCROLL, JSON.stringify({ y: Math.round(scrollY), anchor })); } catch { /* off */ }
  };
  window.addEventListener("pagehide", keepScroll);
  function restoreScroll() {
    const back = performance.getEntriesByType?.("navigation")?.[0]?.type === "back_forward";
    let kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(SCROLL) || "null"); } catch { /* off or not ours */ }
    if (!back || !kept || typeof kept !== "object") return;
    requestAnimationFrame(() => {
      scrollTo(0, Number(kept.y) || 0);
      const pane = resultsPane();
      const key = kept.anchor && String(kept.anchor.key);
      const row = key && pane && [...pane.querySelectorAll("[data-measure]")].find((r) => r.dataset.measure === key);
      if (row) pane.scrollTop += row.getBoundingClientRect().top - pane.getBoundingClientRect().top - (Number(kept.anchor.offset) || 0);
    });
  }

  // ── answers kept on this device ────────────────────────────────────────────────────────────
  // The answers are kept in this browser's localStorage, encoded as a share link encodes them, and read back
  // through the same reader, limits and messages: stored answers are untrusted input too.
  const STORE = "bjp-checker-answers";
  const store = {
    get() { try { return localStorage.getItem(STORE); } catch { return null; } },
    set(profile) { try { localStorage.setItem(STORE, encodeProfile(profile)); } catch { /* full or disabled */ } },
    drop() { try { localStorage.removeItem(STORE); } catch { /* disabled */ } },
    put(text) { try { localStorage.setItem(STORE, text); } catch { /* full or disabled */ } },
  };
  let viewingLink = false; // a share link's answers are on screen: the saved ones are not overwritten meanwhile
  let openedFrom = null; // where the profile being evaluated came from: "link", "saved" or the form (null)
  // The header's language switch goes to the other language's checker: while a link's answers are shown, with
  // them (else that page would show this device's saved answers instead).
  function followSwitcher() {
    for (const a of document.querySelectorAll(".md-select__link[hreflang]")) {
      a.href = a.href.split("#")[0] + (viewingLink ? location.hash : "");
    }
  }
  function remember(profile) {
    if (viewingLink) {
      // Edits of a link's answers live in the address (Back and reload keep them), not over the saved ones.
      history.replaceState(null, "", `#profile=${encodeProfile(profile)}`);
      followSwitcher();
      return;
    }
    if (Object.keys(profile).length) store.set(profile);
    else store.drop();
  }
  const canonical = (p) => JSON.stringify(Object.keys(p).filter((k) => k !== "profile_version" && p[k] !== null)
    .sort().map((k) => [k, p[k]]));

  // A profile from a link or from storage: the profile, or null when it was refused (with a notice).
  function readEncoded(encoded, origin) {
    let profile;
    try {
      // Checked before decoding too: decodeURIComponent of megabytes costs before decodeProfile could refuse.
      if (encoded.length > 3 * MAX_FRAGMENT) throw new LinkProblem("long", MAX_FRAGMENT);
      profile = decodeProfile(origin === "link" ? decodeURIComponent(encoded) : encoded);
    } catch (err) {
      return refuse(origin, err.kind === "long" ? t.longFragment(err.limit) : err.kind === "deep"
        ? t.deepFragment(err.limit) : t.badFragment, []);
    }
    const problem = fragmentProblem(profile);
    return problem ? refuse(origin, problem[0], problem[1]) : profile;
  }
  function refuse(origin, head, lines) {
    clearForm();
    if (origin === "saved") {
      store.drop();
      showNotice(t.badSaved, [head, ...lines], true);
    } else showNotice(head, lines, true);
    return null;
  }
  function open(profile, origin) {
    openedFrom = origin;
    fillForm(profile);
    evaluate(profile);
  }

  function fromHash() {
    const hash = location.hash;
    if (!hash.startsWith("#profile=")) return false;
    const profile = readEncoded(hash.slice("#profile=".length), "link");
    if (profile === null) {
      openedFrom = null;
      evaluate();
      return true;
    }
    // Other answers saved on this device are never overwritten silently: the link's are shown, with a way back.
    const savedText = store.get();
    const saved = savedText === null ? null : readEncoded(savedText, "saved");
    viewingLink = saved !== null && canonical(saved) !== canonical(profile);
    if (viewingLink) {
      showNotice(t.viewingLink, [], true, [
        action(t.backToSaved, () => {
          viewingLink = false;
          hideNotice();
          history.replaceState(null, "", location.pathname + location.search);
          followSwitcher();
          open(saved, "saved");
        }),
        action(t.keepLink, () => { viewingLink = false; hideNotice(); store.set(profile); })]);
    } else {
      // Nothing else was saved: the link's answers become this device's, and the address drops them, so that
      // Back and reload show the answers as edited since.
      hideNotice();
      store.set(profile);
      history.replaceState(null, "", location.pathname + location.search);
    }
    followSwitcher();
    open(profile, "link");
    return true;
  }

  function fromStorage() {
    const savedText = store.get();
    const saved = savedText === null ? null : readEncoded(savedText, "saved");
    if (saved === null) return false;
    open(saved, "saved");
    return true;
  }

  // Clear and Forget ask nothing but can be undone; forgetting also removes what this device keeps. Their
  // notice is brought into view (clear of the sticky header: scroll-margin-top in checker.css), the focus on
  // Undo: Forget's is far from its button on a phone.
  function undoable(message, undo) {
    showNotice(message, [], true, [action(t.undo, () => { hideNotice(); undo(); })]);
    notice.scrollIntoView({ block: "nearest" });
    notice.querySelector("button")?.focus({ preventScroll: true });
  }
  function clearAll() {
    const before = readProfile();
    clearForm();
    openedFrom = null;
    changed();
    undoable(t.cleared, () => { fillForm(before); changed(); });
  }
  function forget() {
    const before = readProfile();
    const saved = store.get();
    const wasViewingLink = viewingLink;
    store.drop();
    viewingLink = false;
    clearForm();
    openedFrom = null;
    changed();
    undoable(t.forgotten, () => {
      if (saved !== null) store.put(saved);
      viewingLink = wasViewingLink;
      fillForm(before);
      changed();
    });
  }

  // ── questions that fit the answers ─────────────────────────────────────────────────────────
  // The calculator says which questions can still change a result (report.questions, report.choices); the
  // others are put away, unless answered or the reader asks to see every question.
  let showAll = false;
  let asked = null;
  const touched = new Set(); // a question being answered never vanishes under the reader's cursor
  let choices = {};
  function fitQuestions(report) {
    if (report) {
      asked = new Set(report.questions);
      choices = report.choices || {};
    }
    if (!asked) return;
    let hidden = 0;
    for (const f of fields) {
      const wrap = inputs[f.id].closest("[data-field]");
      const keep = showAll || asked.has(f.id) || Object.hasOwn(lastProfile, f.id) || touched.has(f.id);
      if (!keep) hidden += 1;
      if (wrap.hidden === keep) wrap.hidden = !keep;
      if (f.type === "set" && Object.hasOwn(choices, f.id)) {
        for (const box of inputs[f.id].querySelectorAll("input[type=checkbox]")) {
          if (!box.value) continue;
          const label = box.closest("label");
          const keepOption = showAll || box.checked || choices[f.id].includes(box.value);
          if (label.hidden === keepOption) label.hidden = !keepOption;
        }
      }
    }
    for (const { box, members } of Object.values(groupBoxes)) {
      const any = members.some((f) => !inputs[f.id].closest("[data-field]").hidden);
      if (box.hidden === any) box.hidden = !any;
    }
    showAllButton.hidden = hidden === 0 && !showAll;
    const label = showAll ? t.showFewer : t.showAll(hidden);
    if (showAllButton.textContent !== label) showAllButton.textContent = label;
  }

  // A district with no policy of its own here: said plainly, with what the site covers.
  const covered = schema.coverage?.jurisdictions ?? [];
  function fitCoverage(profile, report) {
    const district = profile?.district;
    const lines = [];
    const sep = lang === "zh" ? "、" : ", ";
    const place = typeof district === "string"
      ? fieldById.district.values.find((v) => v.id === district)?.[lang] ?? district : null;
    const ownCovered = place !== null && covered.some((j) => j.id === district);
    if (place !== null && covered.length > 0 && !ownCovered) {
      lines.push(t.coverage(place, covered.map((j) => j[lang]).join(sep)));
    }
    // What decides the results before any answer: the city's policies all out of force, or the district's own
    // of unknown validity.
    const statusOf = new Map();
    for (const r of report.results) if (!statusOf.has(r.policy)) statusOf.set(r.policy, r);
    const city = covered.find((j) => j.id === "beijing")?.policies ?? [];
    // Only the city-wide measures are ruled out: a district's own may still apply, and with no district
    // chosen nothing is said about one.
    if (city.length && city.every((p) => statusOf.get(p.id)?.status === "not_in_force")) {
      lines.push(t.cityNotInForce(report.as_of));
      if (place !== null && !ownCovered) lines.push(t.nothingHere(place));
    }
    const own = covered.find((j) => j.id === district)?.policies ?? [];
    const unknown = own.filter((p) => statusOf.get(p.id)?.warnings.some((w) => w.code === "dates_unknown"));
    if (unknown.length) lines.push(t.validityUnknown(unknown.map((p) => p.short_title[lang]).join(sep)));
    const text = lines.join(" ");
    if (coverageNote.textContent !== text) coverageNote.textContent = text;
    if (coverageNote.hidden !== !text) coverageNote.hidden = !text;
  }

  // "Check your answers": every answer given, each with a link to change it. The list is drawn when it is
  // open (and when opened): rebuilding it on every keystroke cost a frame on a phone.
  let reviewOf = null;
  function drawReview() {
    // Only answers the reader gave: the date defaults to today and its row says so.
    const n = Object.entries(lastProfile).filter(([k, v]) => Object.hasOwn(fieldById, k) && v !== null).length;
    const head = t.review(n);
    if (review.firstChild.textContent !== head) review.firstChild.textContent = head;
    if (review.open) fillReview();
  }
  function fillReview() {
    if (reviewOf === lastProfile) return;
    review.lastChild.replaceChildren(...answerRows(true));
    reviewOf = lastProfile;
  }
  // A click (mouse, Enter, Space) fills the list before the details opens, as the explanations do;
  // toggle covers opening from script.
  review.firstChild.addEventListener("click", () => { if (!review.open) fillReview(); });
  review.addEventListener("toggle", drawReview);

  formBox.addEventListener("input", (e) => {
    const field = e.target.closest("[data-field]")?.dataset.field;
    if (field) touched.add(field);
    if (field && e.target.type === "text") editing = field;
    // "None of these" and the choices exclude each other.
    const box = e.target;
    if (box.type === "checkbox") {
      const siblings = box.closest("fieldset").querySelectorAll("input[type=checkbox]");
      if (box.checked) siblings.forEach((s) => { if ((box.value === "") !== (s.value === "")) s.checked = false; });
    }
    changed();
  });
  // Leaving a field (or committing its text) shows what was made of it, an error included.
  const leave = (e) => {
    if (editing && e.target === inputs[editing]) {
      editing = null;
      changed();
    }
  };
  formBox.addEventListener("focusout", leave);
  formBox.addEventListener("change", leave);
  const onHash = () => { if (root.isConnected) fromHash(); else window.removeEventListener("hashchange", onHash); };
  window.addEventListener("hashchange", onHash);
  if (!fromHash() && !fromStorage()) evaluate();
}
