/**
 * The event contracts between bounded contexts: one record per event, past-tense names, each
 * versioned with {@link io.shopmesh.events.EventType} and described by a checked-in JSON Schema.
 */
package io.shopmesh.events.contracts;
