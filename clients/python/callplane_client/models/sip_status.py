from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.auth_failure_source import AuthFailureSource


T = TypeVar("T", bound="SipStatus")


@_attrs_define
class SipStatus:
    """
    Attributes:
        listen (str): `ip:port` SIP listens on (UDP and TCP).
        registrations (int):
        transactions (int):
        client_transactions (int):
        calls (int):
        auth_failures_total (int): Failed SIP authentications since start (wrong passwords, unknown users, replays).
        auth_failures_by_source (list[AuthFailureSource]): The 20 sources with the most failures.
    """

    listen: str
    registrations: int
    transactions: int
    client_transactions: int
    calls: int
    auth_failures_total: int
    auth_failures_by_source: list[AuthFailureSource]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        listen = self.listen

        registrations = self.registrations

        transactions = self.transactions

        client_transactions = self.client_transactions

        calls = self.calls

        auth_failures_total = self.auth_failures_total

        auth_failures_by_source = []
        for auth_failures_by_source_item_data in self.auth_failures_by_source:
            auth_failures_by_source_item = auth_failures_by_source_item_data.to_dict()
            auth_failures_by_source.append(auth_failures_by_source_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "listen": listen,
                "registrations": registrations,
                "transactions": transactions,
                "client_transactions": client_transactions,
                "calls": calls,
                "auth_failures_total": auth_failures_total,
                "auth_failures_by_source": auth_failures_by_source,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.auth_failure_source import AuthFailureSource  # noqa: PLC0415

        d = dict(src_dict)
        listen = d.pop("listen")

        registrations = d.pop("registrations")

        transactions = d.pop("transactions")

        client_transactions = d.pop("client_transactions")

        calls = d.pop("calls")

        auth_failures_total = d.pop("auth_failures_total")

        auth_failures_by_source = []
        _auth_failures_by_source = d.pop("auth_failures_by_source")
        for auth_failures_by_source_item_data in _auth_failures_by_source:
            auth_failures_by_source_item = AuthFailureSource.from_dict(auth_failures_by_source_item_data)

            auth_failures_by_source.append(auth_failures_by_source_item)

        sip_status = cls(
            listen=listen,
            registrations=registrations,
            transactions=transactions,
            client_transactions=client_transactions,
            calls=calls,
            auth_failures_total=auth_failures_total,
            auth_failures_by_source=auth_failures_by_source,
        )

        sip_status.additional_properties = d
        return sip_status

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
