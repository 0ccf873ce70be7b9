// Browsers still list some zones under names the IANA database has since renamed.
const RENAMED: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Europe/Kiev": "Europe/Kyiv",
};

/** The time zones to offer, by their current IANA names, always including the user's own. */
export function timeZoneOptions(current: string, supported = Intl.supportedValuesOf("timeZone")): string[] {
  const zones = new Set(supported.map((zone) => RENAMED[zone] ?? zone));
  zones.add(current);
  return [...zones].sort();
}
