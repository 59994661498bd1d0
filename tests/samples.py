"""Sample data shared by the tests that change a policy in a temporary repository (make diff, history)."""

# A measure added to ft-ai-2025: one fixed amount, its quote in its own text.
NEW_MEASURE = """
  - id: art-11
    group: null
    number: {zh: 第十一条, en: Article 11}
    title: {zh: 支持测试, en: Support for tests}
    text: {zh: 对测试企业给予最高10万元支持。, en: Test enterprises receive up to 100000 yuan.}
    categories: [compute-voucher]
    beneficiaries: [enterprise]
    benefits:
      - {id: grant, kind: fixed, award: entitlement, quote: 对测试企业给予最高10万元支持, amount: 100000, period: once}
"""
