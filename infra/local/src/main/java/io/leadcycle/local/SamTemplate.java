package io.leadcycle.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * The functions template.yaml declares, as the local server reads them from the copy packed into its
 * jar: so a function added to the template is hosted locally with no second list to keep in step.
 */
public final class SamTemplate {

  /** How a function is triggered, in the template and on the local server. */
  public enum Trigger { HTTP, SCHEDULE, QUEUE, BUCKET, CUSTOM_RESOURCE }

  /** A route as the template declares it: method, path and whether the JWT authorizer guards it. */
  public record DeclaredRoute(String method, String path, boolean management) {
  }

  /**
   * One {@code AWS::Serverless::Function}: its module (from its CodeUri), handler class and triggers,
   * and how often the local server runs it when it is scheduled ({@code Metadata: LeadcycleLocal:
   * ScheduleSeconds}; null when the template does not say), the name the local server hosts it by (its
   * module's, or {@code Metadata: LeadcycleLocal: Name} for a second function of one module), and, for a
   * queue function, the path at which the local server also takes its messages directly
   * ({@code QueueRoute}; null when none).
   */
  public record Declared(String logicalId, String module, String handlerClass, Set<Trigger> triggers,
      Set<DeclaredRoute> routes, Integer localScheduleSeconds, String name, String localQueueRoute) {

    public Declared(String logicalId, String module, String handlerClass, Set<Trigger> triggers,
        Set<DeclaredRoute> routes, Integer localScheduleSeconds) {
      this(logicalId, module, handlerClass, triggers, routes, localScheduleSeconds, module, null);
    }
  }

  private SamTemplate() {
  }

  /** The template packed into the local server's jar (built from the repository's template.yaml). */
  public static List<Declared> bundled() {
    try (InputStream in = SamTemplate.class.getClassLoader().getResourceAsStream("template.yaml")) {
      if (in == null) {
        throw new IllegalStateException("template.yaml is not on the class path (packed from the repository root)");
      }
      return functions(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> load(String text) {
    // CloudFormation's short-form tags (!Ref, !If ...) are irrelevant here; drop them so plain YAML parses.
    return new Yaml().load(text.replaceAll("!(Ref|Sub|GetAtt|GetAZs|If|Not|Equals|And|Or|Condition|Join|Select|Split|FindInMap|Base64|Cidr|ImportValue)\\b", ""));
  }

  /**
   * For each environment variable some function sets to a queue's URL ({@code VARIABLE: !Ref SomeQueue}),
   * the local name of the function that queue triggers (its SQS event's {@code Queue: !GetAtt SomeQueue.Arn}):
   * so the local server knows which hosted function a nudge variable ({@code SCORING_NUDGE_QUEUE_URL})
   * wakes. Variables whose queue triggers no function are left out.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, String> queueVariableConsumers(String text) {
    Map<String, Object> resources = (Map<String, Object>) load(text).get("Resources");
    Map<String, String> consumerByQueue = new java.util.LinkedHashMap<>();
    List<Declared> declared = functions(text);
    resources.forEach((name, value) -> {
      Map<String, Object> resource = (Map<String, Object>) value;
      if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
        return;
      }
      Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
      Map<String, Object> events = (Map<String, Object>) properties.getOrDefault("Events", Map.of());
      events.values().forEach(e -> {
        Map<String, Object> event = (Map<String, Object>) e;
        if ("SQS".equals(event.get("Type"))) {
          String queue = String.valueOf(((Map<String, Object>) event.get("Properties")).get("Queue")).strip()
              .replaceAll("\\.Arn$", "");
          declared.stream().filter(d -> d.logicalId().equals(name)).findFirst()
              .ifPresent(d -> consumerByQueue.put(queue, d.name()));
        }
      });
    });
    Map<String, String> consumers = new java.util.TreeMap<>();
    resources.values().forEach(value -> {
      Map<String, Object> resource = (Map<String, Object>) value;
      if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
        return;
      }
      Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
      Map<String, Object> environment = (Map<String, Object>) properties.getOrDefault("Environment", Map.of());
      Map<String, Object> variables = (Map<String, Object>) environment.getOrDefault("Variables", Map.of());
      variables.forEach((variable, ref) -> {
        String consumer = ref instanceof String queue ? consumerByQueue.get(queue.strip()) : null;
        if (consumer != null) {
          consumers.put(variable, consumer);
        }
      });
    });
    return consumers;
  }

  /** {@link #queueVariableConsumers} of the template packed into the local server's jar. */
  public static Map<String, String> bundledQueueVariableConsumers() {
    try (InputStream in = SamTemplate.class.getClassLoader().getResourceAsStream("template.yaml")) {
      if (in == null) {
        throw new IllegalStateException("template.yaml is not on the class path (packed from the repository root)");
      }
      return queueVariableConsumers(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  public static List<Declared> functions(String text) {
    Map<String, Object> resources = (Map<String, Object>) load(text).get("Resources");
    Set<String> customResourceTargets = new HashSet<>();
    resources.values().forEach(value -> {
      Map<String, Object> resource = (Map<String, Object>) value;
      String type = (String) resource.get("Type");
      if (type != null && (type.startsWith("Custom::") || type.equals("AWS::CloudFormation::CustomResource"))) {
        Object token = ((Map<String, Object>) resource.get("Properties")).get("ServiceToken");
        customResourceTargets.add(String.valueOf(token).replace(".Arn", "").strip());
      }
    });
    List<Declared> functions = new ArrayList<>();
    resources.forEach((name, value) -> {
      Map<String, Object> resource = (Map<String, Object>) value;
      if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
        return;
      }
      Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
      String handler = (String) properties.get("Handler");
      if (handler.contains("::")) {
        // For Class::method AWS's Java runtime picks one overload by its parameters and deserializes the event
        // itself: handleRequest(I, Context) erases to Object on our generic base, so every event would arrive
        // as a Map. Named by its class, a handler is called as the stream handler it is (docs/architecture.md).
        throw new IllegalStateException(name + ": Handler " + handler + " names a method; name the class only ("
            + handler.substring(0, handler.indexOf("::")) + "), so that the Lambda runtime calls it as a stream "
            + "handler with the event's JSON");
      }
      String module = ((String) properties.get("CodeUri")).replaceAll("^functions/([a-z0-9-]+)/target/.*$", "$1");
      Set<Trigger> triggers = EnumSet.noneOf(Trigger.class);
      Set<DeclaredRoute> routes = new HashSet<>();
      Map<String, Object> events = (Map<String, Object>) properties.getOrDefault("Events", Map.of());
      events.values().forEach(e -> {
        Map<String, Object> event = (Map<String, Object>) e;
        Map<String, Object> props = (Map<String, Object>) event.get("Properties");
        switch ((String) event.get("Type")) {
          case "HttpApi" -> {
            triggers.add(Trigger.HTTP);
            Map<String, Object> auth = (Map<String, Object>) props.get("Auth");
            boolean open = auth != null && "NONE".equals(auth.get("Authorizer"));
            if (!"2.0".equals(props.get("PayloadFormatVersion"))) {
              throw new IllegalStateException(name + ": HttpApi events must use payload format 2.0");
            }
            routes.add(new DeclaredRoute((String) props.get("Method"), (String) props.get("Path"), !open));
          }
          case "Schedule" -> triggers.add(Trigger.SCHEDULE);
          // EventBridge Scheduler sends "detail" as a JSON string, which ScheduledEvent cannot read.
          case "ScheduleV2" -> throw new IllegalStateException(name + ": use an EventBridge rule (Type: Schedule), "
              + "not ScheduleV2, whose events a ScheduledFunction cannot read");
          case "SQS" -> triggers.add(Trigger.QUEUE);
          case "S3" -> triggers.add(Trigger.BUCKET);
          default -> throw new IllegalStateException(name + ": event type " + event.get("Type") + " has no local host");
        }
      });
      if (customResourceTargets.contains(name)) {
        triggers.add(Trigger.CUSTOM_RESOURCE);
      }
      Map<String, Object> metadata = (Map<String, Object>) resource.getOrDefault("Metadata", Map.of());
      Map<String, Object> local = (Map<String, Object>) metadata.getOrDefault("LeadcycleLocal", Map.of());
      Object seconds = local.get("ScheduleSeconds");
      Object queueRoute = local.get("QueueRoute");
      if (queueRoute != null && !triggers.contains(Trigger.QUEUE)) {
        throw new IllegalStateException(name + ": LeadcycleLocal QueueRoute needs an SQS event");
      }
      String localName = local.get("Name") instanceof String given && !given.isBlank() ? given : module;
      functions.add(new Declared(name, module, handler, triggers, routes,
          seconds instanceof Number n ? Integer.valueOf(n.intValue()) : null, localName,
          queueRoute == null ? null : String.valueOf(queueRoute)));
    });
    Set<String> names = new HashSet<>();
    for (Declared function : functions) {
      if (!names.add(function.name())) {
        throw new IllegalStateException("two functions are named " + function.name() + " locally: give all but one "
            + "of a module's functions Metadata: LeadcycleLocal: Name");
      }
    }
    return functions;
  }
}
