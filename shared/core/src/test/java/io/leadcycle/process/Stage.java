package io.leadcycle.process;

/** One stage of a lead process: its wire name and what it means to the rules. */
public record Stage(String name, StageRole role) {
}
