package io.leadcycle.scoring;

/** One rule of a model; its id is unique within the model and names it in explanations. */
public sealed interface Rule permits FieldRule, BehavioralRule {

  String id();

  int points();
}
