// The files `tapedeck new strategy NAME` writes (runner/new_project.h), as text with @NAME@ (the
// strategy's name) and @CLASS@ (its class) to fill in. Their text is runner/new_project/*.tpl,
// compiled in by runner/CMakeLists.txt (so that the templates read as the files they become).
#ifndef TAPEDECK_RUNNER_NEW_PROJECT_TEMPLATES_H_
#define TAPEDECK_RUNNER_NEW_PROJECT_TEMPLATES_H_

namespace tapedeck::runner {

extern const char kCMakeListsTemplate[];
extern const char kStrategyTemplate[];
extern const char kConfigTemplate[];
extern const char kTestTemplate[];
extern const char kReadmeTemplate[];

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_NEW_PROJECT_TEMPLATES_H_
