from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fail_to_ban import FailToBan
    from ..models.rate_limit import RateLimit
    from ..models.signature import Signature


T = TypeVar("T", bound="SecuritySettingsPatch")


@_attrs_define
class SecuritySettingsPatch:
    """Changes to the settings: each field given replaces that part.

    Attributes:
        fail2ban (FailToBan | Unset): N authentication failures from one source within a window ban the source.
        whitelist (list[str] | Unset):
        rate_limit (RateLimit | Unset): A token bucket per source address: `requests_per_s` sustained, `burst` at once.
            Requests beyond it are dropped unanswered.
        signatures (list[Signature] | Unset):
        edges (list[str] | Unset):
    """

    fail2ban: FailToBan | Unset = UNSET
    whitelist: list[str] | Unset = UNSET
    rate_limit: RateLimit | Unset = UNSET
    signatures: list[Signature] | Unset = UNSET
    edges: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fail2ban: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fail2ban, Unset):
            fail2ban = self.fail2ban.to_dict()

        whitelist: list[str] | Unset = UNSET
        if not isinstance(self.whitelist, Unset):
            whitelist = self.whitelist

        rate_limit: dict[str, Any] | Unset = UNSET
        if not isinstance(self.rate_limit, Unset):
            rate_limit = self.rate_limit.to_dict()

        signatures: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.signatures, Unset):
            signatures = []
            for signatures_item_data in self.signatures:
                signatures_item = signatures_item_data.to_dict()
                signatures.append(signatures_item)

        edges: list[str] | Unset = UNSET
        if not isinstance(self.edges, Unset):
            edges = self.edges

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if fail2ban is not UNSET:
            field_dict["fail2ban"] = fail2ban
        if whitelist is not UNSET:
            field_dict["whitelist"] = whitelist
        if rate_limit is not UNSET:
            field_dict["rate_limit"] = rate_limit
        if signatures is not UNSET:
            field_dict["signatures"] = signatures
        if edges is not UNSET:
            field_dict["edges"] = edges

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fail_to_ban import FailToBan  # noqa: PLC0415
        from ..models.rate_limit import RateLimit  # noqa: PLC0415
        from ..models.signature import Signature  # noqa: PLC0415

        d = dict(src_dict)
        _fail2ban = d.pop("fail2ban", UNSET)
        fail2ban: FailToBan | Unset
        if isinstance(_fail2ban, Unset):
            fail2ban = UNSET
        else:
            fail2ban = FailToBan.from_dict(_fail2ban)

        whitelist = cast(list[str], d.pop("whitelist", UNSET))

        _rate_limit = d.pop("rate_limit", UNSET)
        rate_limit: RateLimit | Unset
        if isinstance(_rate_limit, Unset):
            rate_limit = UNSET
        else:
            rate_limit = RateLimit.from_dict(_rate_limit)

        _signatures = d.pop("signatures", UNSET)
        signatures: list[Signature] | Unset = UNSET
        if _signatures is not UNSET:
            signatures = []
            for signatures_item_data in _signatures:
                signatures_item = Signature.from_dict(signatures_item_data)

                signatures.append(signatures_item)

        edges = cast(list[str], d.pop("edges", UNSET))

        security_settings_patch = cls(
            fail2ban=fail2ban,
            whitelist=whitelist,
            rate_limit=rate_limit,
            signatures=signatures,
            edges=edges,
        )

        security_settings_patch.additional_properties = d
        return security_settings_patch

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
