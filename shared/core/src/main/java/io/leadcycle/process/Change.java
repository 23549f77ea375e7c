package io.leadcycle.process;

/** One field of a lead that an action changed: a timeline entry's what, from and to. */
public record Change(String field, String from, String to) {
}
