"""The jieba user dictionary for search: this field's terms, so that Chinese is segmented into them.

Material's search plugin segments Chinese with jieba at build time; without these
entries jieba splits 算力券 into 算力 + 券 and a search for 算力券 finds nothing whole.
"""

from __future__ import annotations

import pathlib

from calculator.fields import DISTRICTS

# Terms of Beijing's AI and software support policies that jieba's general dictionary lacks or splits.
FIELD_TERMS = [
    "算力券", "模型券", "数据券", "服务券", "语料券", "专精特新", "小巨人", "揭榜挂帅", "首台（套）", "首台套", "首版次",
    "首试首用", "大模型", "垂类大模型", "工业大模型", "通用大模型", "智能体", "具身智能", "人工智能", "工业智能",
    "工业智能企业", "伙伴计划", "人工智能伙伴计划", "可信数据空间", "高质量数据集", "语料库", "数据集", "孵化器",
    "加速器", "众创空间", "生成式人工智能", "备案", "算法备案", "模型备案", "算力", "智算", "智能算力", "数据资产",
    "知识产权", "标准制定", "研发投入", "研发费用", "营收", "主营业务收入", "首次达规", "规上企业", "产业园区",
    "投融资", "应用场景", "标杆应用", "开源", "开源社区", "以赛代评", "独角兽", "瞪羚企业", "高新技术企业",
    "北京市", "中关村",
]


def label_parts(zh: str) -> list[str]:
    """Labels such as 算力券与算力支持 are phrases; their parts split on 与、和 are terms."""
    parts = zh.replace("与", "、").replace("和", "、").replace("（", "、").split("、")
    return [p.strip("）") for p in parts if 2 <= len(p.strip("）")) <= 8]


def measure_tags(categories: list[dict], jurisdiction: str, lang: str) -> list[str]:
    """Search tags of a measure page (Material weighs tags far above text): its categories (with the words people
    search them by: "compute voucher", 首台套) and jurisdiction, so that 算力券, 丰台, "data voucher" or
    "Fengtai" rank the measures themselves first."""
    tags = []
    for category in categories:
        label = category[lang]
        tags += [label] + (label_parts(label) if lang == "zh" else []) + category.get("search", {}).get(lang, [])
    tags += [jurisdiction, jurisdiction.removesuffix("区")] if lang == "zh" else [jurisdiction]
    return list(dict.fromkeys(tags))


def terms(vocabulary: dict) -> list[str]:
    words = list(FIELD_TERMS)
    for kind in ("categories", "beneficiaries"):
        for entry in vocabulary[kind].values():
            words += label_parts(entry["zh"])
    for _, zh, _en in DISTRICTS:
        words += [zh, zh.removesuffix("区")]
    return list(dict.fromkeys(words))


def write_user_dict(path: pathlib.Path, vocabulary: dict) -> pathlib.Path:
    """jieba's format: ``word frequency``; a high frequency makes jieba keep the word whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{word} 200000\n" for word in terms(vocabulary)), encoding="utf-8")
    return path
