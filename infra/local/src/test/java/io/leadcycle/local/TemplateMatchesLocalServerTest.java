package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.leadcycle.local.SamTemplate.Declared;
import io.leadcycle.local.SamTemplate.Trigger;
import io.leadcycle.local.examples.Examples;
import io.leadcycle.local.examples.RecordingQueueFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The local server and AWS must run the same functions the same way: every function template.yaml
 * declares is hosted locally with the same handler class and the same trigger kind (HTTP routes with
 * the same authorization, schedules, queues, buckets, custom resources), and nothing else is hosted.
 */
class TemplateMatchesLocalServerTest {

  private static final Path TEMPLATE = Path.of("../../template.yaml");

  /** A template with one function of every trigger kind, and the test functions that implement them. */
  private static final Path EVERY_TRIGGER = Path.of("src/test/resources/template-every-trigger.yaml");

  @Test
  void everyFunctionOfTheTemplateIsHostedLocallyWithTheSameHandlerTriggerAndRoutes() throws IOException {
    assertThat(TemplateFunctions.differences(TemplateFunctions.read(TEMPLATE), LocalServer.FUNCTIONS)).isEmpty();
  }

  @Test
  void theLocalServerReadsTheTemplateOfThisRepository() throws IOException {
    assertThat(SamTemplate.bundled()).containsExactlyInAnyOrderElementsOf(TemplateFunctions.read(TEMPLATE));
  }

  /** Where each nudge goes locally: the function the template triggers from the queue its variable names. */
  @Test
  void eachNudgeVariableLeadsToTheFunctionItsQueueTriggers() throws IOException {
    Map<String, String> consumers = SamTemplate.queueVariableConsumers(Files.readString(TEMPLATE));
    for (io.leadcycle.runtime.Nudge.Target target : io.leadcycle.runtime.Nudge.Target.values()) {
      assertThat(consumers).containsKey(target.queueUrlVariable());
    }
    assertThat(consumers).containsEntry("SCORING_NUDGE_QUEUE_URL", "scoring-nudge")
        .containsEntry("SEGMENT_NUDGE_QUEUE_URL", "segment-nudge")
        .containsEntry("NOTIFICATION_NUDGE_QUEUE_URL", "notification-nudge");
    assertThat(SamTemplate.bundledQueueVariableConsumers()).isEqualTo(consumers);
  }

  @Test
  void theCheckCoversEveryTriggerKind() throws IOException {
    List<Declared> declared = TemplateFunctions.read(EVERY_TRIGGER);

    assertThat(declared).flatExtracting(Declared::triggers).containsExactlyInAnyOrder(Trigger.values());
    assertThat(TemplateFunctions.differences(declared, Examples.HOSTED)).isEmpty();
  }

  @Test
  void anotherHandlerAnotherTriggerOrAMissingFunctionIsReported() throws IOException {
    List<Declared> declared = TemplateFunctions.read(EVERY_TRIGGER).stream()
        .map(d -> d.module().equals("echo")  // the template says: a queue triggers echo
            ? new Declared(d.logicalId(), d.module(), d.handlerClass(), Set.of(Trigger.QUEUE), d.routes(), d.localScheduleSeconds(), d.name(), d.localQueueRoute()) : d)
        .toList();
    List<LocalServer.HostedFunction> hosted = Examples.HOSTED.stream()
        .map(h -> h.name().equals("tick-counter")
            ? new LocalServer.HostedFunction("tick-counter", RecordingQueueFunction.class.getName()) : h)
        .filter(h -> !h.name().equals("recording-bucket"))
        .toList();

    assertThat(TemplateFunctions.differences(declared, hosted)).containsExactlyInAnyOrder(
        "echo: template triggers [QUEUE], handler is HTTP",
        "tick-counter: template handler io.leadcycle.local.examples.TickCounter, local "
            + RecordingQueueFunction.class.getName(),
        "RecordingBucketFunction (recording-bucket) is not hosted by the local server");
  }

  @Test
  @SuppressWarnings("unchecked")
  void functionsRunOnJava21AndPointAtTheShadedJarOfTheirModule() throws IOException {
    Map<String, Object> template = TemplateFunctions.load(TEMPLATE);
    Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) template.get("Globals")).get("Function");
    assertThat(globals.get("Runtime")).isEqualTo("java21");
    Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
    List<String> codeUris = resources.values().stream()
        .map(r -> (Map<String, Object>) r)
        .filter(r -> "AWS::Serverless::Function".equals(r.get("Type")))
        .map(r -> (String) ((Map<String, Object>) r.get("Properties")).get("CodeUri"))
        .toList();
    assertThat(codeUris).isNotEmpty().allSatisfy(uri -> {
      assertThat(uri).matches("functions/([a-z-]+)/target/\\1\\.jar");
      String module = uri.substring(0, uri.indexOf("/target/"));
      assertThat(Path.of("../..", module, "pom.xml")).exists();
    });
  }

  /**
   * AWS's Java runtime, given a class name, calls a {@code RequestStreamHandler} with the event's JSON (and
   * only a plain {@code RequestHandler} with an event it deserialized itself): every handler must be one,
   * so that it reads its events with {@code LambdaEventJson}. The Lambda conformance suite
   * (infra/lambda-conformance) runs the real runtime on the shaded jars.
   */
  @Test
  void theLambdaRuntimeCallsEveryHandlerWithTheEventsJson() throws IOException {
    assertThat(TemplateFunctions.read(TEMPLATE)).isNotEmpty().allSatisfy(function ->
        assertThat(RequestStreamHandler.class).as(function.logicalId())
            .isAssignableFrom(Class.forName(function.handlerClass())));
  }

  @Test
  void aHandlerThatNamesAMethodIsRefused() throws IOException {
    String template = Files.readString(TEMPLATE).replace(
        "Handler: io.leadcycle.functions.formintake.FormIntakeHandler\n",
        "Handler: io.leadcycle.functions.formintake.FormIntakeHandler::handleRequest\n");

    assertThatThrownBy(() -> SamTemplate.functions(template))
        .hasMessageContaining("FormIntakeFunction: Handler io.leadcycle.functions.formintake.FormIntakeHandler"
            + "::handleRequest names a method; name the class only (io.leadcycle.functions.formintake.FormIntakeHandler)")
        .hasMessageContaining("stream handler");
  }

}
