from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.signature_hits import SignatureHits


T = TypeVar("T", bound="SecurityCounters")


@_attrs_define
class SecurityCounters:
    """What was dropped, since start.

    Attributes:
        dropped_banned (int): Datagrams and TCP frames from banned sources, dropped unread.
        dropped_rate_limited (int): Messages over a source's rate limit, dropped unread.
        dropped_scanner (int): Requests that matched a `drop` or `ban` signature.
        bans_added (int): Bans added since start (by failures, signatures or the API).
        auth_failures_total (int):
        signature_hits (list[SignatureHits]): Matches per signature (`field:match:pattern`), whatever its action.
    """

    dropped_banned: int
    dropped_rate_limited: int
    dropped_scanner: int
    bans_added: int
    auth_failures_total: int
    signature_hits: list[SignatureHits]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dropped_banned = self.dropped_banned

        dropped_rate_limited = self.dropped_rate_limited

        dropped_scanner = self.dropped_scanner

        bans_added = self.bans_added

        auth_failures_total = self.auth_failures_total

        signature_hits = []
        for signature_hits_item_data in self.signature_hits:
            signature_hits_item = signature_hits_item_data.to_dict()
            signature_hits.append(signature_hits_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dropped_banned": dropped_banned,
                "dropped_rate_limited": dropped_rate_limited,
                "dropped_scanner": dropped_scanner,
                "bans_added": bans_added,
                "auth_failures_total": auth_failures_total,
                "signature_hits": signature_hits,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signature_hits import SignatureHits  # noqa: PLC0415

        d = dict(src_dict)
        dropped_banned = d.pop("dropped_banned")

        dropped_rate_limited = d.pop("dropped_rate_limited")

        dropped_scanner = d.pop("dropped_scanner")

        bans_added = d.pop("bans_added")

        auth_failures_total = d.pop("auth_failures_total")

        signature_hits = []
        _signature_hits = d.pop("signature_hits")
        for signature_hits_item_data in _signature_hits:
            signature_hits_item = SignatureHits.from_dict(signature_hits_item_data)

            signature_hits.append(signature_hits_item)

        security_counters = cls(
            dropped_banned=dropped_banned,
            dropped_rate_limited=dropped_rate_limited,
            dropped_scanner=dropped_scanner,
            bans_added=bans_added,
            auth_failures_total=auth_failures_total,
            signature_hits=signature_hits,
        )

        security_counters.additional_properties = d
        return security_counters

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
