package io.leadcycle.local;

import io.leadcycle.http.HttpFunction;
import io.leadcycle.platform.CustomResourceFunction;
import io.leadcycle.platform.LeadcycleFunction;
import io.leadcycle.platform.S3Function;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.platform.SqsFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * The functions a SAM template declares, with the trigger kinds of their events, and the check that a
 * local server hosts exactly those: same module, same handler class, same trigger kind, same routes.
 */
final class TemplateFunctions {

  /** How a function is triggered, in the template and on the local server. */
  enum Trigger { HTTP, SCHEDULE, QUEUE, BUCKET, CUSTOM_RESOURCE }

  /** A route as the template declares it: method, path and whether the JWT authorizer guards it. */
  record DeclaredRoute(String method, String path, boolean management) {
  }

  /** One AWS::Serverless::Function. */
  record Declared(String logicalId, String module, String handlerClass, Set<Trigger> triggers,
      Set<DeclaredRoute> routes) {
  }

  private TemplateFunctions() {
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> load(Path template) throws IOException {
    // CloudFormation's short-form tags (!Ref, !If ...) are irrelevant here; drop them so plain YAML parses.
    String text = Files.readString(template).replaceAll("!(Ref|Sub|GetAtt|If|Not|Equals|Join|Select|Split)\\b", "");
    return new Yaml().load(text);
  }

  @SuppressWarnings("unchecked")
  static List<Declared> read(Path template) throws IOException {
    Map<String, Object> resources = (Map<String, Object>) load(template).get("Resources");
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
      String handler = ((String) properties.get("Handler")).replace("::handleRequest", "");
      String codeUri = (String) properties.get("CodeUri");
      String module = codeUri.replaceAll("^functions/([a-z0-9-]+)/target/.*$", "$1");
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
              throw new AssertionError(name + ": HttpApi events must use payload format 2.0");
            }
            routes.add(new DeclaredRoute((String) props.get("Method"), (String) props.get("Path"), !open));
          }
          case "Schedule" -> triggers.add(Trigger.SCHEDULE);
          // EventBridge Scheduler sends "detail" as a JSON string, which ScheduledEvent cannot read.
          case "ScheduleV2" -> throw new AssertionError(name + ": use an EventBridge rule (Type: Schedule), "
              + "not ScheduleV2, whose events a ScheduledFunction cannot read");
          case "SQS" -> triggers.add(Trigger.QUEUE);
          case "S3" -> triggers.add(Trigger.BUCKET);
          default -> throw new AssertionError(name + ": event type " + event.get("Type") + " has no local host");
        }
      });
      if (customResourceTargets.contains(name)) {
        triggers.add(Trigger.CUSTOM_RESOURCE);
      }
      functions.add(new Declared(name, module, handler, triggers, routes));
    });
    return functions;
  }

  /** The trigger kind a handler is written for, by the platform class it extends. */
  static Trigger triggerOf(LeadcycleFunction<?, ?> handler) {
    if (handler instanceof HttpFunction) {
      return Trigger.HTTP;
    } else if (handler instanceof ScheduledFunction) {
      return Trigger.SCHEDULE;
    } else if (handler instanceof SqsFunction) {
      return Trigger.QUEUE;
    } else if (handler instanceof S3Function) {
      return Trigger.BUCKET;
    } else if (handler instanceof CustomResourceFunction) {
      return Trigger.CUSTOM_RESOURCE;
    }
    throw new AssertionError(handler.getClass() + " extends no trigger kind");
  }

  /**
   * Every difference between what the template declares and what {@code hosted} hosts; empty when
   * they agree.
   */
  static List<String> differences(List<Declared> declared, List<LocalServer.HostedFunction> hosted) {
    List<String> differences = new ArrayList<>();
    for (Declared function : declared) {
      LocalServer.HostedFunction local = hosted.stream().filter(h -> h.name().equals(function.module()))
          .findFirst().orElse(null);
      if (local == null) {
        differences.add(function.logicalId() + " (" + function.module() + ") is not hosted by the local server");
        continue;
      }
      if (!local.handlerClass().equals(function.handlerClass())) {
        differences.add(function.module() + ": template handler " + function.handlerClass() + ", local "
            + local.handlerClass());
        continue;
      }
      LeadcycleFunction<?, ?> handler = LocalServer.instantiate(local.handlerClass());
      Trigger trigger = triggerOf(handler);
      if (!function.triggers().equals(EnumSet.of(trigger))) {
        differences.add(function.module() + ": template triggers " + function.triggers() + ", handler is " + trigger);
      }
      if (handler instanceof HttpFunction http) {
        Set<DeclaredRoute> routes = new HashSet<>();
        http.routes().forEach(r -> routes.add(new DeclaredRoute(r.method(), r.path(),
            r.access() == io.leadcycle.http.Access.MANAGEMENT)));
        if (!routes.equals(function.routes())) {
          Set<DeclaredRoute> onlyLocal = new HashSet<>(routes);
          onlyLocal.removeAll(function.routes());
          Set<DeclaredRoute> onlyTemplate = new HashSet<>(function.routes());
          onlyTemplate.removeAll(routes);
          differences.add(function.module() + ": routes only in the handler " + onlyLocal + ", only in the template "
              + onlyTemplate);
        }
      }
    }
    for (LocalServer.HostedFunction local : hosted) {
      if (declared.stream().noneMatch(d -> d.module().equals(local.name()))) {
        differences.add(local.name() + " is hosted locally but not declared in the template");
      }
    }
    return differences;
  }
}
