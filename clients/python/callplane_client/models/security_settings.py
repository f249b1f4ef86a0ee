from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.fail_to_ban import FailToBan
    from ..models.rate_limit import RateLimit
    from ..models.signature import Signature


T = TypeVar("T", bound="SecuritySettings")


@_attrs_define
class SecuritySettings:
    """
    Attributes:
        fail2ban (FailToBan): N authentication failures from one source within a window ban the source.
        whitelist (list[str]): Sources (CIDRs, or single addresses) that are never banned nor rate-limited, e.g. the
            office's own network or a carrier's signalling addresses.
        rate_limit (RateLimit): A token bucket per source address: `requests_per_s` sustained, `burst` at once.
            Requests beyond it are dropped unanswered.
        signatures (list[Signature]): Requests matching one of these get the signature's action. Replaced as a whole by
            PATCH.
        edges (list[str]): SIP edges in front of Callplane (`deploy/kamailio/callplane-edge.cfg`): a request
            from one of these addresses is judged by the source the edge names in its
            `X-Callplane-Source` header (bans, rate limit, fail-to-ban, signatures), and the
            edge itself is never banned nor rate-limited. Only list edges that set the header
            and remove any copy a sender put there.
    """

    fail2ban: FailToBan
    whitelist: list[str]
    rate_limit: RateLimit
    signatures: list[Signature]
    edges: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fail2ban = self.fail2ban.to_dict()

        whitelist = self.whitelist

        rate_limit = self.rate_limit.to_dict()

        signatures = []
        for signatures_item_data in self.signatures:
            signatures_item = signatures_item_data.to_dict()
            signatures.append(signatures_item)

        edges = self.edges

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fail2ban": fail2ban,
                "whitelist": whitelist,
                "rate_limit": rate_limit,
                "signatures": signatures,
                "edges": edges,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fail_to_ban import FailToBan  # noqa: PLC0415
        from ..models.rate_limit import RateLimit  # noqa: PLC0415
        from ..models.signature import Signature  # noqa: PLC0415

        d = dict(src_dict)
        fail2ban = FailToBan.from_dict(d.pop("fail2ban"))

        whitelist = cast(list[str], d.pop("whitelist"))

        rate_limit = RateLimit.from_dict(d.pop("rate_limit"))

        signatures = []
        _signatures = d.pop("signatures")
        for signatures_item_data in _signatures:
            signatures_item = Signature.from_dict(signatures_item_data)

            signatures.append(signatures_item)

        edges = cast(list[str], d.pop("edges"))

        security_settings = cls(
            fail2ban=fail2ban,
            whitelist=whitelist,
            rate_limit=rate_limit,
            signatures=signatures,
            edges=edges,
        )

        security_settings.additional_properties = d
        return security_settings

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
