#!/usr/bin/env node
// Parse an iCalendar feed with ical.js (the parser used by Thunderbird and
// many web calendar clients) and print one JSON object per VEVENT.
//
// Usage: node icaljs_dump.mjs FEED.ics
//
// Every VTIMEZONE in the file is registered with ICAL.TimezoneService before
// any date is read, so TZID'd DTSTART/DTEND resolve through the feed's own
// VTIMEZONE definitions (as a real client would do).  A TZID that is neither
// UTC nor defined by a VTIMEZONE in the file is a hard error (exit code 3),
// because ical.js would otherwise silently treat the time as floating.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function die(code, message) {
  process.stderr.write(`icaljs_dump: ${message}\n`);
  process.exit(code);
}

const feedPath = process.argv[2];
if (!feedPath) {
  die(2, "usage: node icaljs_dump.mjs FEED.ics");
}

let text;
try {
  text = readFileSync(feedPath, "utf8");
} catch (err) {
  die(2, `cannot read ${feedPath}: ${err.message}`);
}

let parsed;
try {
  parsed = ICAL.parse(text);
} catch (err) {
  die(1, `ical.js could not parse ${feedPath}: ${err.message}`);
}

// ICAL.parse returns a single jCal array for one VCALENDAR, or an array of
// them when the file contains several.
const jcals = typeof parsed[0] === "string" ? [parsed] : parsed;
const calendars = jcals.map((j) => new ICAL.Component(j));

for (const cal of calendars) {
  if (cal.name !== "vcalendar") {
    die(1, `top-level component is ${cal.name}, expected vcalendar`);
  }
}

// 1. Register every VTIMEZONE first.
ICAL.TimezoneService.reset();
for (const cal of calendars) {
  for (const vtz of cal.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtz);
  }
}

const UTC_NAMES = new Set(["Z", "UTC", "GMT"]);
const unresolved = new Set();

function tzidOf(comp, propName) {
  const prop = comp.getFirstProperty(propName);
  if (!prop) return null;
  const tzid = prop.getParameter("tzid");
  return tzid === undefined || tzid === null ? null : String(tzid);
}

function checkTzid(tzid) {
  if (tzid && !UTC_NAMES.has(tzid) && !ICAL.TimezoneService.has(tzid)) {
    unresolved.add(tzid);
  }
}

function isoZ(time) {
  // time: ICAL.Time (date-time). Floating times (no TZID, no Z) are reported
  // as if they were UTC; callers can tell from the *_floating flags.
  let ms;
  if (time.zone === ICAL.Timezone.localTimezone || !time.zone) {
    ms = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  } else {
    ms = time.toUnixTime() * 1000;
  }
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function isFloating(time) {
  return !time.isDate && (time.zone === ICAL.Timezone.localTimezone || !time.zone);
}

function propText(comp, name) {
  const v = comp.getFirstPropertyValue(name);
  return v === null || v === undefined ? null : String(v);
}

const out = [];
for (const cal of calendars) {
  for (const vevent of cal.getAllSubcomponents("vevent")) {
    const startTzid = tzidOf(vevent, "dtstart");
    const endTzid = tzidOf(vevent, "dtend");
    checkTzid(startTzid);
    checkTzid(endTzid);

    const event = new ICAL.Event(vevent);
    const start = event.startDate;
    const end = event.endDate; // derived from DURATION / defaults if no DTEND
    const allDay = Boolean(start && start.isDate);

    const lastModified = vevent.getFirstPropertyValue("last-modified");
    const dtstamp = vevent.getFirstPropertyValue("dtstamp");
    const recurrenceId = vevent.getFirstPropertyValue("recurrence-id");
    const sequence = vevent.getFirstPropertyValue("sequence");
    const rrule = vevent.getFirstPropertyValue("rrule");

    const categories = vevent
      .getAllProperties("categories")
      .flatMap((p) => p.getValues())
      .map((c) => String(c));

    const alarms = vevent.getAllSubcomponents("valarm");

    const obj = {
      uid: event.uid ?? null,
      summary: event.summary ?? null,
      description: event.description ?? null,
      location: event.location ?? null,
      categories,
      all_day: allDay,
      start_utc: null,
      end_utc: null,
      start_date: null,
      end_date: null,
      start_tzid: startTzid,
      end_tzid: endTzid,
      start_floating: start ? isFloating(start) : false,
      end_floating: end ? isFloating(end) : false,
      sequence: sequence === null || sequence === undefined ? null : Number(sequence),
      last_modified: lastModified ? isoZ(lastModified) : null,
      dtstamp: dtstamp ? isoZ(dtstamp) : null,
      recurrence_id: recurrenceId ? (recurrenceId.isDate ? recurrenceId.toString() : isoZ(recurrenceId)) : null,
      rrule: rrule ? rrule.toString() : null,
      status: propText(vevent, "status"),
      valarms: alarms.length,
      alarm_triggers: alarms.map((a) => propText(a, "trigger")),
    };

    if (allDay) {
      obj.start_date = start.toString();
      obj.end_date = end ? end.toString() : null;
    } else {
      obj.start_utc = start ? isoZ(start) : null;
      obj.end_utc = end ? isoZ(end) : null;
    }
    out.push(obj);
  }
}

if (unresolved.size > 0) {
  die(
    3,
    `TZID(s) without a matching VTIMEZONE in ${feedPath}: ${[...unresolved].sort().join(", ")}`,
  );
}

process.stdout.write(JSON.stringify(out, null, 2) + "\n");
