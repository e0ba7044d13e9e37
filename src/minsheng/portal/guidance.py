"""The guidance a citizen is given before filing (R22 Art. 31 (1)-(5), Art. 22 ¶2, Art. 20 ¶2).

Matters that belong to a court, arbitration, a party procedure, an administrative procedure or the
discipline inspection organs have their own lawful channel; the citizen is told it before they
submit. They may still submit (every matter received is registered, Art. 19 and 22); the
petition bureau then forwards it to that channel, and their answer is on the record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Route:
    code: str
    title: Promise
    examples: Promise
    channel: Promise
    article: Promise
    # True: the matter is handled as a petition (Art. 31 (5) and (6)); False: another channel.
    petition: bool


ROUTES = [
    Route(
        code="litigation",
        title=_("诉讼、检察或公安法律程序"),
        examples=_("已经起诉或应当起诉的民事、行政案件；对法院判决、裁定不服；刑事报案、立案监督。"),
        channel=_(
            "请向人民法院、人民检察院或公安机关依法提出（诉讼、申请再审、控告申诉、报案）。"
            "信访部门收到的涉法涉诉事项，依法转送政法部门处理。"
        ),
        article=_("《信访工作条例》第三十一条第（一）项、第二十二条第二款"),
        petition=False,
    ),
    Route(
        code="arbitration",
        title=_("仲裁"),
        examples=_("劳动争议（如解除劳动合同、工伤待遇）、农村土地承包经营纠纷、合同约定仲裁的纠纷。"),
        channel=_("请向劳动人事争议仲裁委员会、农村土地承包仲裁委员会或约定的仲裁机构申请仲裁。"),
        article=_("《信访工作条例》第三十一条第（二）项"),
        petition=False,
    ),
    Route(
        code="party",
        title=_("党员申诉、申请复审"),
        examples=_("党员对所受党纪处分或组织处理不服。"),
        channel=_("请按照党内规定向作出决定的党组织或其上级党组织、纪检机关提出申诉或申请复审。"),
        article=_("《信访工作条例》第三十一条第（三）项"),
        petition=False,
    ),
    Route(
        code="administrative",
        title=_("行政复议等行政程序"),
        examples=_("对行政处罚、行政许可、行政确认、行政裁决等具体决定不服，或需要申请办理许可、确认。"),
        channel=_("请在法定期限内申请行政复议或提起行政诉讼，或向主管机关申请办理相应的行政程序。"),
        article=_("《信访工作条例》第三十一条第（四）项"),
        petition=False,
    ),
    Route(
        code="duty",
        title=_("请求查处违法行为或保护人身、财产权益"),
        examples=_("举报噪音、占道、违法建设等违法行为，请求有关部门依法查处或履行保护职责。"),
        channel=_("可以在这里提交。信访部门将转送负有该职责的机关，由其依法履行职责或者答复。"),
        article=_("《信访工作条例》第三十一条第（五）项"),
        petition=True,
    ),
    Route(
        code="none",
        title=_("以上都不是"),
        examples=_("其他需要有关机关、单位解决的问题。"),
        channel=_("可以在这里提交。有权处理的机关将听取您的陈述、调查核实，并出具信访处理意见书。"),
        article=_("《信访工作条例》第三十一条第（六）项、第三十二条"),
        petition=True,
    ),
]
BY_CODE = {route.code: route for route in ROUTES}
# Routes to another channel the citizen chose to submit here anyway: "<code>+ack".
ACK = "+ack"


def route_is_valid(code: str) -> bool:
    """A petition route by its code; another channel only once the citizen acknowledged it."""
    base = code.removesuffix(ACK)
    route = BY_CODE.get(base)
    if route is None:
        return False
    return code == base if route.petition else code == base + ACK
