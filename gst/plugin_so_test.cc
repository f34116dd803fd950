// Copyright 2026 The gralloc for Linux Authors.
//
// libgstgralloc.so as users run it: GStreamer's own tools load it from
// GST_PLUGIN_PATH. `gst-inspect-1.0 gralloc` lists the plugin and its
// element, and the pipeline through grallocpool writes the same
// bytes as without it although the pool pads 636-pixel rows to 640, which
// only correct GstVideoMeta handling on both sides survives. Each pipeline
// runs in its own process: GStreamer's test source and converter do not
// produce the same bytes twice within one process.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

extern char** environ;

namespace {

constexpr char kGstLaunch[] = "/usr/bin/gst-launch-1.0";
constexpr char kGstInspect[] = "/usr/bin/gst-inspect-1.0";

std::string TmpFile(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The directory of libgstgralloc.so in the runfiles.
std::string PluginDir() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return std::string(srcdir != nullptr ? srcdir : ".") + "/" +
         (workspace != nullptr ? workspace : "gralloc") + "/gst";
}

// Runs `args` with the plugin on GST_PLUGIN_PATH, a private registry and
// `extra_env`; stdout and stderr go to `output_path`. The exit status, or
// -1.
int RunTool(const std::vector<std::string>& args,
            const std::string& output_path,
            const std::vector<std::string>& extra_env = {}) {
  std::vector<std::string> env = {
      "GST_PLUGIN_PATH=" + PluginDir(),
      "GST_REGISTRY=" + TmpFile("so-registry.bin"),
  };
  for (const std::string& e : extra_env) env.push_back(e);
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    if (entry.rfind("GST_", 0) != 0) env.push_back(entry);
  }
  std::vector<char*> envp, argv;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args_copy = args;
  for (std::string& a : args_copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid;
  const int spawned =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class PluginSoTest : public ::testing::Test {
 protected:
  void SetUp() override {
#ifdef GRALLOC_UNDER_SANITIZER
    GTEST_SKIP() << "the plugin is built with a sanitizer here, and "
                    "GStreamer's uninstrumented gst-launch-1.0 cannot load "
                    "it; pipeline_test runs the plugin's code under it";
#endif
    if (access(kGstLaunch, X_OK) != 0 || access(kGstInspect, X_OK) != 0) {
      GTEST_SKIP() << "gstreamer1.0-tools is not installed "
                      "(tools/setup.sh installs it)";
    }
  }
};

TEST_F(PluginSoTest, GstInspectListsThePluginAndItsElement) {
  const std::string output = TmpFile("inspect.txt");
  ASSERT_EQ(RunTool({kGstInspect, "gralloc"}, output), 0) << ReadFile(output);
  const std::string text = ReadFile(output);
  EXPECT_NE(text.find("Name                     gralloc"), std::string::npos)
      << text;
  EXPECT_NE(text.find("grallocpool: gralloc buffer pool"), std::string::npos)
      << text;

  ASSERT_EQ(RunTool({kGstInspect, "grallocpool"}, output), 0)
      << ReadFile(output);
  const std::string element = ReadFile(output);
  for (const char* property :
       {"usage", "cpu-access", "socket", "profile", "min-buffers",
        "require-own", "buffers-allocated", "frames-passed"}) {
    EXPECT_NE(element.find(std::string("  ") + property + " "),
              std::string::npos)
        << property << " missing from:\n"
        << element;
  }
}

TEST_F(PluginSoTest, PipelineIsByteIdenticalWithPaddedRows) {
  const std::vector<std::string> source = {
      "videotestsrc",
      "num-buffers=120",
      "pattern=ball",
      "!",
      "video/x-raw,format=NV12,width=636,height=478",
      "!"};
  const std::vector<std::string> sink = {
      "videoconvert", "!", "video/x-raw,format=I420", "!", "y4menc", "!",
      "filesink"};
  const std::string with_pool = TmpFile("with_pool.y4m");
  const std::string without_pool = TmpFile("without_pool.y4m");

  std::vector<std::string> args = {kGstLaunch, "-q"};
  args.insert(args.end(), source.begin(), source.end());
  // Camera, encoder and display together: the generic profile aligns their
  // rows to 64 bytes.
  for (const char* arg :
       {"grallocpool", "require-own=true",
        "usage=CAMERA_OUTPUT|VIDEO_ENCODER|COMPOSER_OVERLAY", "!"}) {
    args.push_back(arg);
  }
  args.insert(args.end(), sink.begin(), sink.end());
  args.push_back("location=" + with_pool);
  const std::string log = TmpFile("with_pool.log");
  // The pool reports each configuration it accepts.
  ASSERT_EQ(RunTool(args, log,
                    {"GST_DEBUG=grallocpool-pool:4", "GST_DEBUG_NO_COLOR=1"}),
            0)
      << ReadFile(log);

  args = {kGstLaunch, "-q"};
  args.insert(args.end(), source.begin(), source.end());
  args.insert(args.end(), sink.begin(), sink.end());
  args.push_back("location=" + without_pool);
  const std::string log2 = TmpFile("without_pool.log");
  ASSERT_EQ(RunTool(args, log2), 0) << ReadFile(log2);

  // The rows really were padded (so a consumer ignoring GstVideoMeta would
  // have read garbage), and every buffer was the pool's (require-own).
  const std::string pool_log = ReadFile(log);
  EXPECT_NE(pool_log.find("NV12 636x478: stride 640 B"), std::string::npos)
      << pool_log;

  const std::string a = ReadFile(with_pool);
  const std::string b = ReadFile(without_pool);
  ASSERT_GT(b.size(), 120u * (636 * 478 * 3 / 2));
  ASSERT_EQ(a.size(), b.size());
  EXPECT_TRUE(a == b) << "the frames through grallocpool differ";
}

}  // namespace
