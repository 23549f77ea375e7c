package io.leadcycle.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml read the way CloudFormation reads it: short-form intrinsics ({@code !Ref X},
 * {@code !If [...]}) become their long form ({@code {"Ref": "X"}}, {@code {"Fn::If": [...]}}), so that
 * tests can evaluate the Conditions for given parameter values and resolve {@code Fn::If} the way a
 * deployment with those values would.
 */
public final class CloudFormation {

  private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs",
      "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or");

  /** AWS::NoValue: a property or list item that is not there. */
  public static final Object NO_VALUE = new Object() {
    @Override
    public String toString() {
      return "AWS::NoValue";
    }
  };

  private CloudFormation() {
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> load(Path template) throws IOException {
    return (Map<String, Object>) new Yaml(new IntrinsicConstructor()).load(Files.readString(template));
  }

  private static final class IntrinsicConstructor extends SafeConstructor {

    IntrinsicConstructor() {
      super(new LoaderOptions());
      yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
      FUNCTIONS.forEach(name -> yamlConstructors.put(new Tag("!" + name), new Intrinsic("Fn::" + name)));
    }

    private final class Intrinsic extends AbstractConstruct {

      private final String key;

      Intrinsic(String key) {
        this.key = key;
      }

      @Override
      public Object construct(Node node) {
        Object value;
        if (node instanceof ScalarNode scalar) {
          value = constructScalar(scalar);
          if (key.equals("Fn::GetAtt")) {
            String text = (String) value;
            int dot = text.indexOf('.');
            value = List.of(text.substring(0, dot), text.substring(dot + 1));
          }
        } else if (node instanceof SequenceNode sequence) {
          value = constructSequence(sequence);
        } else {
          value = constructMapping((MappingNode) node);
        }
        Map<String, Object> intrinsic = new LinkedHashMap<>();
        intrinsic.put(key, value);
        return intrinsic;
      }
    }
  }

  /** One deployment of the template: parameter values (defaults unless given) and so its conditions. */
  public static final class Deployment {

    private final Map<String, Object> template;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Boolean> conditions = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    public Deployment(Map<String, Object> template, Map<String, String> values) {
      this.template = template;
      Map<String, Object> declared = (Map<String, Object>) template.get("Parameters");
      values.keySet().forEach(name -> {
        if (!declared.containsKey(name)) {
          throw new IllegalArgumentException("no parameter " + name);
        }
      });
      declared.forEach((name, value) -> {
        Map<String, Object> parameter = (Map<String, Object>) value;
        Object given = values.containsKey(name) ? values.get(name) : parameter.get("Default");
        if (given == null) {
          throw new IllegalArgumentException("parameter " + name + " has no default: give it");
        }
        String text = String.valueOf(given);
        parameters.put(name, "CommaDelimitedList".equals(parameter.get("Type"))
            ? List.of(text.split(",", -1)) : text);
      });
      ((Map<String, Object>) template.getOrDefault("Conditions", Map.of())).keySet().forEach(this::condition);
    }

    @SuppressWarnings("unchecked")
    public boolean condition(String name) {
      Boolean known = conditions.get(name);
      if (known == null) {
        Object definition = ((Map<String, Object>) template.get("Conditions")).get(name);
        if (definition == null) {
          throw new IllegalArgumentException("no condition " + name);
        }
        known = truth(definition);
        conditions.put(name, known);
      }
      return known;
    }

    Map<String, Boolean> conditions() {
      return conditions;
    }

    /** A condition expression (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition). */
    @SuppressWarnings("unchecked")
    boolean truth(Object expression) {
      Map<String, Object> function = (Map<String, Object>) expression;
      Map.Entry<String, Object> only = function.entrySet().iterator().next();
      List<Object> arguments = only.getValue() instanceof List<?> list ? (List<Object>) list : List.of(only.getValue());
      return switch (only.getKey()) {
        case "Condition" -> condition((String) only.getValue());
        case "Fn::Equals" -> String.valueOf(value(arguments.get(0))).equals(String.valueOf(value(arguments.get(1))));
        case "Fn::Not" -> !truth(arguments.get(0));
        case "Fn::And" -> arguments.stream().allMatch(this::truth);
        case "Fn::Or" -> arguments.stream().anyMatch(this::truth);
        default -> throw new IllegalArgumentException("not a condition function: " + only.getKey());
      };
    }

    /** The value of what a condition compares: a parameter, a literal, or a join of a list parameter. */
    @SuppressWarnings("unchecked")
    public Object value(Object expression) {
      if (expression instanceof Map<?, ?> map && map.size() == 1) {
        Map.Entry<String, Object> only = ((Map<String, Object>) map).entrySet().iterator().next();
        if (only.getKey().equals("Ref")) {
          Object parameter = parameters.get((String) only.getValue());
          if (parameter == null) {
            throw new IllegalArgumentException("conditions compare parameters, not " + only.getValue());
          }
          return parameter;
        }
        if (only.getKey().equals("Fn::Join")) {
          List<Object> arguments = (List<Object>) only.getValue();
          Object list = value(arguments.get(1));
          return String.join((String) arguments.get(0), ((List<Object>) list).stream().map(String::valueOf).toList());
        }
        throw new IllegalArgumentException("cannot evaluate " + only.getKey() + " in a condition");
      }
      return expression;
    }

    /** The logical ids of the resources this deployment creates. */
    @SuppressWarnings("unchecked")
    Set<String> resources() {
      Set<String> present = new TreeSet<>();
      ((Map<String, Object>) template.get("Resources")).forEach((id, value) -> {
        Object condition = ((Map<String, Object>) value).get("Condition");
        if (condition == null || condition((String) condition)) {
          present.add(id);
        }
      });
      return present;
    }

    /** The rules whose assertions these parameter values break (CloudFormation refuses the deploy). */
    @SuppressWarnings("unchecked")
    Set<String> brokenRules() {
      Set<String> broken = new TreeSet<>();
      ((Map<String, Object>) template.getOrDefault("Rules", Map.of())).forEach((name, value) -> {
        Map<String, Object> rule = (Map<String, Object>) value;
        Object when = rule.get("RuleCondition");
        if (when != null && !truth(when)) {
          return;
        }
        for (Object assertion : (List<Object>) rule.get("Assertions")) {
          if (!truth(((Map<String, Object>) assertion).get("Assert"))) {
            broken.add(name);
          }
        }
      });
      return broken;
    }

    /**
     * {@code node} as this deployment sees it: every {@code Fn::If} replaced by its chosen branch and
     * {@code AWS::NoValue} removed (other intrinsics stay as they are).
     */
    @SuppressWarnings("unchecked")
    public Object resolve(Object node) {
      if (node instanceof Map<?, ?> map) {
        if (map.size() == 1 && map.containsKey("Fn::If")) {
          List<Object> arguments = (List<Object>) map.get("Fn::If");
          return resolve(condition((String) arguments.get(0)) ? arguments.get(1) : arguments.get(2));
        }
        if (map.size() == 1 && "AWS::NoValue".equals(map.get("Ref"))) {
          return NO_VALUE;
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        ((Map<String, Object>) map).forEach((key, value) -> {
          Object v = resolve(value);
          if (v != NO_VALUE) {
            resolved.put(key, v);
          }
        });
        return resolved;
      }
      if (node instanceof List<?> list) {
        List<Object> resolved = new ArrayList<>();
        for (Object item : list) {
          Object v = resolve(item);
          if (v != NO_VALUE) {
            resolved.add(v);
          }
        }
        return resolved;
      }
      return node;
    }

    /**
     * Every name {@code node} refers to ({@code Ref}, {@code Fn::GetAtt}, the {@code ${...}} of
     * {@code Fn::Sub}, and the {@code .Version} / {@code .Alias} SAM adds), after {@link #resolve}.
     */
    static Set<String> references(Object node) {
      Set<String> names = new LinkedHashSet<>();
      collect(node, names);
      return names;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, Set<String> names) {
      if (node instanceof Map<?, ?> map) {
        map.forEach((key, value) -> {
          if ("Ref".equals(key) && value instanceof String name) {
            names.add(name.replaceAll("\\.(Version|Alias)$", ""));
          } else if ("Fn::GetAtt".equals(key) && value instanceof List<?> list) {
            names.add((String) list.get(0));
          } else if ("Fn::Sub".equals(key)) {
            String text = value instanceof List<?> list ? (String) list.get(0) : (String) value;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([^}!.]+)[^}]*}").matcher(text);
            while (m.find()) {
              names.add(m.group(1));
            }
            if (value instanceof List<?> list && list.size() > 1) {
              collect(list.get(1), names);
            }
            return;
          }
          collect(value, names);
        });
      } else if (node instanceof List<?> list) {
        list.forEach(item -> collect(item, names));
      }
    }
  }
}
