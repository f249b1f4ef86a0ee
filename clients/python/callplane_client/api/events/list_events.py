from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.event_page import EventPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    since_seq: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    types: str | Unset = UNSET,
    extension: str | Unset = UNSET,
    trunk: str | Unset = UNSET,
) -> dict[str, Any]:
    params: dict[str, Any] = {}

    params["since_seq"] = since_seq

    params["limit"] = limit

    params["types"] = types

    params["extension"] = extension

    params["trunk"] = trunk

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events/log",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EventPage | Problem | None:
    if response.status_code == 200:
        response_200 = EventPage.from_dict(response.json())

        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EventPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    since_seq: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    types: str | Unset = UNSET,
    extension: str | Unset = UNSET,
    trunk: str | Unset = UNSET,
) -> Response[EventPage | Problem]:
    """Events after `since_seq` from the stored log (retention permitting), with the same
    filters as the WebSocket stream. Each event's `data` follows the schema of its `type`.

    Args:
        since_seq (int | Unset):
        limit (int | Unset):
        types (str | Unset):
        extension (str | Unset):
        trunk (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | Problem]
    """

    kwargs = _get_kwargs(
        since_seq=since_seq,
        limit=limit,
        types=types,
        extension=extension,
        trunk=trunk,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    since_seq: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    types: str | Unset = UNSET,
    extension: str | Unset = UNSET,
    trunk: str | Unset = UNSET,
) -> EventPage | Problem | None:
    """Events after `since_seq` from the stored log (retention permitting), with the same
    filters as the WebSocket stream. Each event's `data` follows the schema of its `type`.

    Args:
        since_seq (int | Unset):
        limit (int | Unset):
        types (str | Unset):
        extension (str | Unset):
        trunk (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | Problem
    """

    return sync_detailed(
        client=client,
        since_seq=since_seq,
        limit=limit,
        types=types,
        extension=extension,
        trunk=trunk,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    since_seq: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    types: str | Unset = UNSET,
    extension: str | Unset = UNSET,
    trunk: str | Unset = UNSET,
) -> Response[EventPage | Problem]:
    """Events after `since_seq` from the stored log (retention permitting), with the same
    filters as the WebSocket stream. Each event's `data` follows the schema of its `type`.

    Args:
        since_seq (int | Unset):
        limit (int | Unset):
        types (str | Unset):
        extension (str | Unset):
        trunk (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | Problem]
    """

    kwargs = _get_kwargs(
        since_seq=since_seq,
        limit=limit,
        types=types,
        extension=extension,
        trunk=trunk,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    since_seq: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    types: str | Unset = UNSET,
    extension: str | Unset = UNSET,
    trunk: str | Unset = UNSET,
) -> EventPage | Problem | None:
    """Events after `since_seq` from the stored log (retention permitting), with the same
    filters as the WebSocket stream. Each event's `data` follows the schema of its `type`.

    Args:
        since_seq (int | Unset):
        limit (int | Unset):
        types (str | Unset):
        extension (str | Unset):
        trunk (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            since_seq=since_seq,
            limit=limit,
            types=types,
            extension=extension,
            trunk=trunk,
        )
    ).parsed
