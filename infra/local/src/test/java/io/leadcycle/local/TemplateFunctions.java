package io.leadcycle.local;

import io.leadcycle.http.Access;

import io.leadcycle.http.HttpFunction;
import io.leadcycle.local.SamTemplate.Declared;
import io.leadcycle.local.SamTemplate.DeclaredRoute;
import io.leadcycle.local.SamTemplate.Trigger;
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

/**
 * The check that a local server hosts exactly the functions a SAM template declares: same module, same
 * handler class, a handler of the trigger kind the template gives it, same routes.
 */
final class TemplateFunctions {

  private TemplateFunctions() {
  }

  static Map<String, Object> load(Path template) throws IOException {
    return SamTemplate.load(Files.readString(template));
  }

  static List<Declared> read(Path template) throws IOException {
    return SamTemplate.functions(Files.readString(template));
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
      LocalServer.HostedFunction local = hosted.stream().filter(h -> h.name().equals(function.name()))
          .findFirst().orElse(null);
      if (local == null) {
        differences.add(function.logicalId() + " (" + function.name() + ") is not hosted by the local server");
        continue;
      }
      if (!local.handlerClass().equals(function.handlerClass())) {
        differences.add(function.name() + ": template handler " + function.handlerClass() + ", local "
            + local.handlerClass());
        continue;
      }
      LeadcycleFunction<?, ?> handler = LocalServer.instantiate(local.handlerClass());
      Trigger trigger = triggerOf(handler);
      if (!function.triggers().equals(EnumSet.of(trigger))) {
        differences.add(function.name() + ": template triggers " + function.triggers() + ", handler is " + trigger);
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
          differences.add(function.name() + ": routes only in the handler " + onlyLocal + ", only in the template "
              + onlyTemplate);
        }
      }
    }
    for (LocalServer.HostedFunction local : hosted) {
      if (declared.stream().noneMatch(d -> d.name().equals(local.name()))) {
        differences.add(local.name() + " is hosted locally but not declared in the template");
      }
    }
    return differences;
  }
}
