package io.leadcycle.conformance;

import io.leadcycle.local.CloudFormation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code AWS::Serverless::Function} of template.yaml as a deployment with the parameters' defaults
 * would create it: handler, jar, memory, timeout, SnapStart, its environment (Globals merged with its
 * own, as SAM merges them) with every intrinsic resolved to what the suite serves in place of the
 * resource (a queue's URL on the fake AWS endpoint, a secret's ARN, a bucket's name), and its events.
 */
record DeployedFunction(String logicalId, String handler, Path jar, int memoryMb, int timeoutSeconds,
    boolean snapStart, Map<String, String> environment, Map<String, Event> events, Map<String, Object> customResource) {

  /**
   * One entry of the function's {@code Events}: its type and properties, and for a queue or bucket event
   * the ARN of the queue or the name of the bucket.
   */
  record Event(String type, Map<String, Object> properties, String source) {
  }

  /** Every function of the template at {@code repository}/template.yaml, in template order. */
  @SuppressWarnings("unchecked")
  static List<DeployedFunction> readAll(Path repository) throws IOException {
    Map<String, Object> template = CloudFormation.load(repository.resolve("template.yaml"));
    CloudFormation.Deployment deployment = new CloudFormation.Deployment(template, Map.of());
    Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
    Map<String, Object> globals = (Map<String, Object>) deployment.resolve(
        ((Map<String, Object>) template.getOrDefault("Globals", Map.of())).getOrDefault("Function", Map.of()));
    Values values = new Values(deployment, resources);
    List<DeployedFunction> functions = new ArrayList<>();
    resources.forEach((id, value) -> {
      Map<String, Object> resource = (Map<String, Object>) value;
      if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
        return;
      }
      Map<String, Object> properties = (Map<String, Object>) deployment.resolve(resource.get("Properties"));
      Map<String, String> environment = new LinkedHashMap<>();
      List.of(globals, properties).forEach(level -> {
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) level
            .getOrDefault("Environment", Map.of())).getOrDefault("Variables", Map.of());
        variables.forEach((name, v) -> environment.put(name, values.text(v)));
      });
      Map<String, Event> events = new LinkedHashMap<>();
      ((Map<String, Object>) properties.getOrDefault("Events", Map.of())).forEach((name, e) -> {
        Map<String, Object> event = (Map<String, Object>) e;
        Map<String, Object> eventProperties = (Map<String, Object>) event.get("Properties");
        Object source = eventProperties.containsKey("Queue") ? eventProperties.get("Queue") : eventProperties.get("Bucket");
        events.put(name, new Event((String) event.get("Type"), eventProperties,
            source == null ? null : values.text(source)));
      });
      Map<String, Object> snapStart = (Map<String, Object>) properties.getOrDefault("SnapStart",
          globals.getOrDefault("SnapStart", Map.of()));
      functions.add(new DeployedFunction(id, (String) properties.get("Handler"),
          repository.resolve((String) properties.get("CodeUri")),
          ((Number) properties.getOrDefault("MemorySize", globals.getOrDefault("MemorySize", 128))).intValue(),
          ((Number) properties.getOrDefault("Timeout", globals.getOrDefault("Timeout", 3))).intValue(),
          "PublishedVersions".equals(snapStart.get("ApplyOn")), environment, events,
          customResourceOf(id, resources, deployment)));
    });
    return functions;
  }

  /** The properties of the custom resource this function serves ({@code ServiceToken: !GetAtt <id>.Arn}), or null. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> customResourceOf(String functionId, Map<String, Object> resources,
      CloudFormation.Deployment deployment) {
    for (Map.Entry<String, Object> entry : resources.entrySet()) {
      Map<String, Object> resource = (Map<String, Object>) entry.getValue();
      String type = (String) resource.get("Type");
      if (type.startsWith("Custom::") || type.equals("AWS::CloudFormation::CustomResource")) {
        Map<String, Object> properties = (Map<String, Object>) deployment.resolve(resource.get("Properties"));
        if (properties.get("ServiceToken") instanceof Map<?, ?> token
            && List.of(functionId, "Arn").equals(token.get("Fn::GetAtt"))) {
          Map<String, Object> withId = new LinkedHashMap<>(properties);
          withId.put("LogicalResourceId", entry.getKey());
          withId.put("ResourceType", type);
          return withId;
        }
      }
    }
    return null;
  }

  String jarName() {
    return jar.getFileName().toString();
  }

  boolean isCustomResource() {
    return customResource != null;
  }

  List<Event> eventsOfType(String type) {
    return events.values().stream().filter(e -> e.type().equals(type)).toList();
  }

  /**
   * What the suite puts where a deployment would have a resource: queues' URLs and ARNs, secrets' ARNs,
   * buckets' names; parameters are their defaults.
   */
  private record Values(CloudFormation.Deployment deployment, Map<String, Object> resources) {

    private static final Pattern SUB = Pattern.compile("\\$\\{([^}]+)}");

    @SuppressWarnings("unchecked")
    String text(Object node) {
      if (!(node instanceof Map<?, ?> map)) {
        return String.valueOf(node);
      }
      Map.Entry<String, Object> only = ((Map<String, Object>) map).entrySet().iterator().next();
      return switch (only.getKey()) {
        case "Ref" -> ref((String) only.getValue());
        case "Fn::GetAtt" -> attribute((String) ((List<Object>) only.getValue()).get(0),
            String.join(".", ((List<String>) only.getValue()).subList(1, ((List<Object>) only.getValue()).size())));
        case "Fn::Sub" -> {
          Matcher names = SUB.matcher((String) only.getValue());
          StringBuilder text = new StringBuilder();
          while (names.find()) {
            String name = names.group(1);
            int dot = name.indexOf('.');
            names.appendReplacement(text, Matcher.quoteReplacement(
                dot < 0 ? ref(name) : attribute(name.substring(0, dot), name.substring(dot + 1))));
          }
          yield names.appendTail(text).toString();
        }
        default -> throw new IllegalStateException("the suite cannot resolve " + only.getKey() + " in an environment "
            + "variable: teach DeployedFunction.Values");
      };
    }

    @SuppressWarnings("unchecked")
    private String ref(String name) {
      switch (name) {
        case "AWS::Region":
          return FakeAws.REGION;
        case "AWS::AccountId":
          return FakeAws.ACCOUNT;
        case "AWS::StackName":
          return "leadcycle";
        case "AWS::Partition":
          return "aws";
        default:
          break;
      }
      Object resource = resources.get(name);
      if (resource == null) {
        return String.valueOf(deployment.value(Map.of("Ref", name))); // a parameter: its default
      }
      String type = (String) ((Map<String, Object>) resource).get("Type");
      return switch (type) {
        case "AWS::SQS::Queue" -> queueUrl(queueName(name));
        case "AWS::SecretsManager::Secret" -> secretArn(name);
        case "AWS::S3::Bucket" -> {
          Object bucketName = ((Map<String, Object>) ((Map<String, Object>) resource).getOrDefault("Properties", Map.of()))
              .get("BucketName");
          yield bucketName == null ? bucketName(name) : text(deployment.resolve(bucketName));
        }
        default -> "conformance-" + name;
      };
    }

    private String attribute(String resource, String attribute) {
      return switch (attribute) {
        case "Arn" -> queueArn(queueName(resource));
        case "QueueUrl" -> queueUrl(queueName(resource));
        case "QueueName" -> queueName(resource);
        case "MasterUserSecret.SecretArn" -> secretArn(resource + "-master");
        default -> "conformance-" + resource + "-" + attribute;
      };
    }

    /** A FIFO queue's name ends in .fifo, as SQS requires (and code may check). */
    @SuppressWarnings("unchecked")
    private String queueName(String logicalId) {
      Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) resources.get(logicalId))
          .getOrDefault("Properties", Map.of());
      return Boolean.TRUE.equals(properties.get("FifoQueue")) ? logicalId + ".fifo" : logicalId;
    }
  }

  static String queueUrl(String queueName) {
    return "https://sqs." + FakeAws.REGION + ".amazonaws.com/" + FakeAws.ACCOUNT + "/" + queueName;
  }

  static String queueArn(String queueName) {
    return "arn:aws:sqs:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT + ":" + queueName;
  }

  static String secretArn(String logicalId) {
    return "arn:aws:secretsmanager:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT + ":secret:" + logicalId + "-AbCdEf";
  }

  static String bucketName(String logicalId) {
    return "leadcycle-" + logicalId.toLowerCase(java.util.Locale.ROOT);
  }
}
