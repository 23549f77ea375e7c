package io.leadcycle.scoring;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a model would do to a sample of leads, before it is published: how many fall in each grade, how
 * many reach the sales-ready threshold, and the best few with their explanation. Pure: the leads'
 * results come in one by one ({@link #add}), scored by {@link ScoringEngine} from the same facts score
 * recalculation gathers.
 */
public final class ScoringPreview {

  /** The newest open leads a preview scores unless the request says how many. */
  public static final int DEFAULT_SAMPLE = 500;
  public static final int MAX_SAMPLE = 5_000;
  /** Named leads a preview takes at most. */
  public static final int MAX_LEAD_IDS = 200;
  /** The best leads shown with their explanation. */
  public static final int BEST = 10;

  static final List<String> MEMBERS = List.of("leadIds", "sample");

  /**
   * What to score: the named leads ({@code leadIds}, in the order given, each once), or else the
   * {@code sample} newest open leads the model scores.
   */
  public record Request(List<UUID> leadIds, int sample) {

    public Request {
      leadIds = leadIds == null ? null : List.copyOf(leadIds);
    }

    public boolean named() {
      return leadIds != null;
    }

    /**
     * Reads {@code {leadIds?, sample?}} (null or empty: the default sample). One or the other: named
     * leads are scored all, so a sample beside them would say nothing.
     */
    public static Request parse(Map<String, ?> body) {
      if (body == null || body.isEmpty()) {
        return new Request(null, DEFAULT_SAMPLE);
      }
      List<FieldError> errors = new ArrayList<>();
      body.keySet().stream().filter(key -> !MEMBERS.contains(key)).forEach(key ->
          errors.add(new FieldError(key, "unknown field; allowed: " + String.join(", ", MEMBERS))));
      Object rawIds = body.get("leadIds");
      Object rawSample = body.get("sample");
      if (rawIds != null && rawSample != null) {
        errors.add(new FieldError("sample", "send leadIds (those leads) or sample (the newest open leads), not both"));
      }
      List<UUID> ids = null;
      if (rawIds != null) {
        ids = leadIds(rawIds, errors);
      }
      int sample = DEFAULT_SAMPLE;
      if (rawSample != null) {
        Long parsed = Numbers.integer(rawSample, 1, MAX_SAMPLE);
        if (parsed == null) {
          errors.add(new FieldError("sample", "must be an integer from 1 to " + MAX_SAMPLE
              + " (the newest open leads to score; default " + DEFAULT_SAMPLE + ")"));
        } else {
          sample = Math.toIntExact(parsed);
        }
      }
      if (!errors.isEmpty()) {
        throw new InvalidInput(errors);
      }
      return new Request(ids, sample);
    }

    private static List<UUID> leadIds(Object raw, List<FieldError> errors) {
      String rule = "a list of 1 to " + MAX_LEAD_IDS + " lead ids";
      if (!(raw instanceof List<?> list)) {
        errors.add(new FieldError("leadIds", "must be " + rule));
        return null;
      }
      if (list.isEmpty() || list.size() > MAX_LEAD_IDS) {
        errors.add(new FieldError("leadIds", "must be " + rule + " (got " + list.size() + ")"));
        return null;
      }
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        UUID id = list.get(i) instanceof String s ? uuid(s) : null;
        if (id == null) {
          errors.add(new FieldError("leadIds[" + i + "]", "must be a lead id (a UUID)"));
        } else if (!ids.contains(id)) {
          ids.add(id);
        }
      }
      return ids;
    }

    private static UUID uuid(String text) {
      try {
        UUID id = UUID.fromString(text);
        // UUID.fromString takes shortened forms ("1-1-1-1-1"): only the canonical one is an id.
        return id.toString().equalsIgnoreCase(text) ? id : null;
      } catch (IllegalArgumentException notOne) {
        return null;
      }
    }
  }

  /** Refuses named leads that do not exist, naming each by its place in {@code leadIds}. */
  public static void requireExisting(List<UUID> requested, Set<UUID> existing) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      if (!existing.contains(requested.get(i))) {
        errors.add(new FieldError("leadIds[" + i + "]", "no lead " + requested.get(i)));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
  }

  /** One lead's result. */
  public record Scored(UUID leadId, ScoreResult result) {
  }

  /** How many of the scored leads a grade holds ({@code grade} null: a score no grade's band holds). */
  public record GradeCount(String grade, int count) {
  }

  /**
   * @param scored leads the model scored
   * @param skipped leads it could not score: closed, of the other kind (a contact model scores leads with a
   *     contact, an account model leads with only an account), or without the model's minimum consent
   * @param distribution every grade of the model in its order, then the scores without a grade (if any)
   * @param salesReady scored leads whose score reaches the sales-ready threshold
   * @param best the {@link #BEST} highest scores, best first (ties by lead id)
   */
  public record Result(int scored, int skipped, List<GradeCount> distribution, int salesReady, List<Scored> best) {
  }

  private static final Comparator<Scored> BEST_FIRST = Comparator
      .comparingInt((Scored s) -> s.result().score()).reversed().thenComparing(Scored::leadId);

  private final ModelDefinition model;
  private final Map<String, Integer> byGrade = new LinkedHashMap<>();
  private int ungraded;
  private int scored;
  private int skipped;
  private int salesReady;
  private final List<Scored> best = new ArrayList<>();

  public ScoringPreview(ModelDefinition model) {
    this.model = model;
    model.grades().forEach(grade -> byGrade.put(grade.name(), 0));
  }

  public void add(UUID leadId, ScoreResult result) {
    scored++;
    if (result.grade() == null) {
      ungraded++;
    } else {
      byGrade.merge(result.grade(), 1, Integer::sum);
    }
    if (result.reachesThreshold()) {
      salesReady++;
    }
    best.add(new Scored(leadId, result));
    best.sort(BEST_FIRST);
    if (best.size() > BEST) {
      best.remove(best.size() - 1);
    }
  }

  /** A lead the model cannot score. */
  public void skip() {
    skipped++;
  }

  public Result result() {
    List<GradeCount> distribution = new ArrayList<>();
    byGrade.forEach((grade, count) -> distribution.add(new GradeCount(grade, count)));
    if (ungraded > 0) {
      distribution.add(new GradeCount(null, ungraded));
    }
    return new Result(scored, skipped, distribution, salesReady, List.copyOf(best));
  }

  public ModelDefinition model() {
    return model;
  }
}
