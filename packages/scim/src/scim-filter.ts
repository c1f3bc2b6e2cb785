/**
 * Escapes a string for use inside a quoted SCIM filter value (RFC 7644 §3.4.2.2: values are JSON strings, so `"`
 * and `\` must be escaped). Control characters are escaped the same way JSON does.
 */
export function escapeFilterValue(value: string): string {
  // JSON.stringify escapes exactly what a JSON string literal needs; strip its surrounding quotes.
  return JSON.stringify(value).slice(1, -1);
}

/** `attr eq "value"`, with the value escaped. */
export function eqFilter(attribute: string, value: string): string {
  return `${attribute} eq "${escapeFilterValue(value)}"`;
}

/** A value-path selecting the elements of a multi-valued attribute, e.g. `emails[type eq "work"]`. */
export function valuePath(attribute: string, filterAttribute: string, value: string): string {
  return `${attribute}[${eqFilter(filterAttribute, value)}]`;
}
