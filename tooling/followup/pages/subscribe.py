"""The subscribe page: the roads from the feed to a calendar app, and the feed's address when
it may be shown."""

from __future__ import annotations

from followup.config import Config


def qr_code(address: str) -> str:
    """The address as a QR code, inline SVG drawn here (segno): a phone's camera subscribes."""
    import segno

    svg = segno.make(address, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", svgclass="fu-qr", lineclass=None, omitsize=True,
        title=f"QR code of {address}",
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


def feed_address(config: Config, feed_file: str) -> str:
    """The full address of the feed: where `followup publish` puts it, else on the site; or ''."""
    base = config.publish_url or config.site_url
    return f"{base.rstrip('/')}/{feed_file}" if base and feed_file else ""


def render(config: Config, feed_file: str, tasks_address: str = "") -> str:
    """The roads to a calendar; an empty `feed_file` means a secret name this page must not show."""
    address = feed_address(config, feed_file)
    lines = ["---", "title: Subscribe", "---", "", "# Subscribe to your reminders", ""]
    if not feed_file:
        where = f" under `{config.publish_url}`" if config.publish_url else ""
        lines += [
            f"Your feed is published{where} with a secret name, and this page does not show it: "
            "whoever can read this site could otherwise subscribe to your interviews. On your own "
            "computer, run `followup feed url` to see the address"
            + ("" if config.publish_url or config.site_url else
               " (`followup feed url --site-url https://…`, as `site_url` is not set)")
            + ", and paste it into your calendar app. If only you can reach this site, set "
            "`show_feed_address = true` in `followup.toml` and this page shows the address with a "
            "QR code. If the address leaks, `followup feed rotate` gives the feed a new one.",
            "",
        ]
    elif address:
        webcal = "webcal://" + address.split("://", 1)[-1]
        lines += ['<div class="fu-address" markdown>', "", "Subscribe with this address:", "",
                  "```text", address, "```", "", "Apple Calendar and Outlook also take:", "",
                  "```text", webcal, "```", "", "</div>", ""]
        if config.show_feed_address:
            lines += ['<div class="fu-qr-box" markdown>', "", qr_code(webcal), "",
                      "Point a phone's camera at this code to subscribe on the phone.", "", "</div>", ""]
    else:
        lines += [
            f"The feed is published beside this page as [`{feed_file}`]({feed_file}). "
            "Set `site_url` (or `publish_url`) in `followup.toml` and this page shows the "
            "full subscription address.",
            "",
        ]
    if tasks_address:
        lines += [
            f"Your open actions are also published as tasks, in `{tasks_address}` beside "
            "the feed, for apps with a task list such as Thunderbird and Evolution.",
            "",
        ]
    lines += [
        "## Four roads to your calendar",
        "",
        "**Subscribe by address.** Publish this site somewhere only you know (`site_url`), "
        "and paste the feed's address into Google Calendar, Apple Calendar, Outlook or "
        "Thunderbird. The app fetches it again every few hours.",
        "",
        "**Publish the feed alone.** `followup publish --dir PATH` copies the feed under its "
        "secret name, with a robots.txt and an index that names nobody, into a folder your web "
        "server serves; `followup publish --git REMOTE` pushes the same files to a repository "
        "that a static host publishes. Set `publish_url` to that address and this page shows it.",
        "",
        "**Sync with a CalDAV calendar.** `followup sync` keeps a calendar on your own CalDAV "
        "server (Nextcloud, Radicale, Fastmail…) equal to your plan, configured by a "
        "`[caldav]` table in `followup.toml`. Nothing needs to be published.",
        "",
        "**Preview on this computer.** While `followup serve` runs, Apple Calendar or "
        "Thunderbird on the same machine can subscribe to the feed at "
        + (f"`http://127.0.0.1:8000/{feed_file}`" if feed_file else
           "the address `followup feed url --site-url http://127.0.0.1:8000` prints")
        + "; other devices cannot reach it.",
        "",
        "Each reminder is an event at the time to act: many calendar apps drop alerts from "
        "subscribed calendars, so set a default alert for this calendar in your app. "
        "See [calendar apps](howto/calendar-apps.md) for Google, Apple, Outlook and Thunderbird.",
        "",
    ]
    return "\n".join(lines)
