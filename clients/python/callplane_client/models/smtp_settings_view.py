from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.smtp_tls import SmtpTls
from ..types import UNSET, Unset

T = TypeVar("T", bound="SmtpSettingsView")


@_attrs_define
class SmtpSettingsView:
    """The settings as the API shows them.

    Attributes:
        configured (bool): Whether voicemail e-mails can be sent (a server is set).
        has_password (bool): Whether a password is set (it is never returned).
        host (str | Unset):
        port (int | Unset):
        tls (SmtpTls | Unset): How the connection to the server is secured.
        username (str | Unset):
        from_ (str | Unset):
    """

    configured: bool
    has_password: bool
    host: str | Unset = UNSET
    port: int | Unset = UNSET
    tls: SmtpTls | Unset = UNSET
    username: str | Unset = UNSET
    from_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        configured = self.configured

        has_password = self.has_password

        host = self.host

        port = self.port

        tls: str | Unset = UNSET
        if not isinstance(self.tls, Unset):
            tls = self.tls.value

        username = self.username

        from_ = self.from_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "configured": configured,
                "has_password": has_password,
            }
        )
        if host is not UNSET:
            field_dict["host"] = host
        if port is not UNSET:
            field_dict["port"] = port
        if tls is not UNSET:
            field_dict["tls"] = tls
        if username is not UNSET:
            field_dict["username"] = username
        if from_ is not UNSET:
            field_dict["from"] = from_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        configured = d.pop("configured")

        has_password = d.pop("has_password")

        host = d.pop("host", UNSET)

        port = d.pop("port", UNSET)

        _tls = d.pop("tls", UNSET)
        tls: SmtpTls | Unset
        if isinstance(_tls, Unset):
            tls = UNSET
        else:
            tls = SmtpTls(_tls)

        username = d.pop("username", UNSET)

        from_ = d.pop("from", UNSET)

        smtp_settings_view = cls(
            configured=configured,
            has_password=has_password,
            host=host,
            port=port,
            tls=tls,
            username=username,
            from_=from_,
        )

        smtp_settings_view.additional_properties = d
        return smtp_settings_view

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
