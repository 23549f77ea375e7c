package io.leadcycle.scoring;

/** A score band with a name ({@code A}, {@code hot}): scores from {@code min} to {@code max}, both included. */
public record Grade(String name, int min, int max) {
}
