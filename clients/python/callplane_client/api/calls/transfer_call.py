from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.transfer_accepted import TransferAccepted
from ...models.transfer_request import TransferRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: TransferRequest,
    local: bool | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["local"] = local

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/calls/{id}/transfer".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TransferAccepted | None:
    if response.status_code == 202:
        response_202 = TransferAccepted.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TransferAccepted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: TransferRequest,
    local: bool | Unset = UNSET,
) -> Response[Problem | TransferAccepted]:
    """Transfer an answered call: `party` stays and is connected to `to`; the other party
    is released. 409 while the call is not answered yet.

    Args:
        id (str):
        local (bool | Unset):
        body (TransferRequest): `POST /api/v1/calls/{id}/transfer`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransferAccepted]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        local=local,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    body: TransferRequest,
    local: bool | Unset = UNSET,
) -> Problem | TransferAccepted | None:
    """Transfer an answered call: `party` stays and is connected to `to`; the other party
    is released. 409 while the call is not answered yet.

    Args:
        id (str):
        local (bool | Unset):
        body (TransferRequest): `POST /api/v1/calls/{id}/transfer`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransferAccepted
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        local=local,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: TransferRequest,
    local: bool | Unset = UNSET,
) -> Response[Problem | TransferAccepted]:
    """Transfer an answered call: `party` stays and is connected to `to`; the other party
    is released. 409 while the call is not answered yet.

    Args:
        id (str):
        local (bool | Unset):
        body (TransferRequest): `POST /api/v1/calls/{id}/transfer`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransferAccepted]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        local=local,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    body: TransferRequest,
    local: bool | Unset = UNSET,
) -> Problem | TransferAccepted | None:
    """Transfer an answered call: `party` stays and is connected to `to`; the other party
    is released. 409 while the call is not answered yet.

    Args:
        id (str):
        local (bool | Unset):
        body (TransferRequest): `POST /api/v1/calls/{id}/transfer`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransferAccepted
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            local=local,
        )
    ).parsed
