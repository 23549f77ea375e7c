package io.leadcycle.local;

import io.leadcycle.http.HttpFunction;
import io.leadcycle.platform.CustomResourceFunction;
import io.leadcycle.platform.LeadcycleFunction;
import io.leadcycle.platform.S3Function;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.platform.SqsFunction;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The functions the local server hosts, each handler created the way Lambda creates it. */
final class LocalFunctions {

  /** A hosted function: its name, its handler, and what the template suggests for local runs. */
  record Hosted(String name, LeadcycleFunction<?, ?> handler, Integer scheduleSeconds, String queueRoute) {
  }

  /** The trigger kinds the local server hosts. */
  private static final List<Class<?>> KINDS = List.of(CustomResourceFunction.class, HttpFunction.class,
      ScheduledFunction.class, SqsFunction.class, S3Function.class);

  private final List<Hosted> functions;

  private LocalFunctions(List<Hosted> functions) {
    this.functions = List.copyOf(functions);
  }

  /** Creates every handler; fails on one of a trigger kind the local server does not host. */
  static LocalFunctions create(List<LocalServer.HostedFunction> functions, Map<String, String> env) {
    List<Hosted> hosted = new ArrayList<>();
    for (LocalServer.HostedFunction function : functions) {
      hosted.add(new Hosted(function.name(), instantiate(function.handlerClass(), env), function.scheduleSeconds(),
          function.queueRoute()));
    }
    for (Hosted function : hosted) {
      if (KINDS.stream().noneMatch(kind -> kind.isInstance(function.handler()))) {
        throw new IllegalStateException(function.name() + " has no trigger kind the local server hosts");
      }
    }
    return new LocalFunctions(hosted);
  }

  List<Hosted> all() {
    return functions;
  }

  /** The function of that name, else null. */
  Hosted named(String name) {
    return functions.stream().filter(function -> function.name().equals(name)).findFirst().orElse(null);
  }

  List<String> names() {
    return functions.stream().map(Hosted::name).toList();
  }

  List<HttpFunction> httpFunctions() {
    return functions.stream().map(Hosted::handler).filter(HttpFunction.class::isInstance)
        .map(HttpFunction.class::cast).toList();
  }

  /** Custom resources (db-migrate: migrate now), as the deploy step runs them before any function updates. */
  void runCustomResources() {
    for (Hosted function : functions) {
      if (function.handler() instanceof CustomResourceFunction custom) {
        custom.handleRequest(Map.of(), null);
      }
    }
  }

  /**
   * A handler of template.yaml: one with a public constructor taking the environment (the workbench, which
   * reads its sign-in from it) gets {@code env}, the local server's, as Lambda's would read
   * {@code System.getenv()}; any other is created the way Lambda creates it. Null: always as Lambda does.
   */
  static LeadcycleFunction<?, ?> instantiate(String handlerClass, Map<String, String> env) {
    try {
      Class<?> type = Class.forName(handlerClass);
      if (env != null) {
        try {
          return (LeadcycleFunction<?, ?>) type.getConstructor(Map.class).newInstance(Map.copyOf(env));
        } catch (NoSuchMethodException noEnvironment) {
          // created as Lambda creates it, below
        }
      }
      return (LeadcycleFunction<?, ?>) type.getDeclaredConstructor().newInstance();
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;   // the handler's own words (a setting it refuses), as Lambda's init error would say
      }
      throw new IllegalStateException("cannot create handler " + handlerClass, e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create handler " + handlerClass, e);
    }
  }
}
