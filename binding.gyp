{
  # Sources come from native/sources.cjs (by folder) so that this file and CMakeLists.txt cannot drift apart.
  "targets": [
    {
      "target_name": "thp_autotune",
      "sources": ["<!@(node native/sources.cjs portable)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      # NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS: while a worker_thread's environment shuts down,
      # or when node delivers a ThreadSafeFunction message in its exit cleanup, N-API calls fail;
      # without it node-addon-api turns that into a FATAL ERROR or a C++ throw that ends in
      # std::terminate, aborting the whole process (node-addon-api doc/setup.md).
      "defines": ["NAPI_VERSION=9", "NAPI_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O2", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
      },
      "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17"] } },
      "conditions": [
        ["OS=='linux'", {
          "sources": ["<!@(node native/sources.cjs linux)"],
          "libraries": ["-lpthread"]
        }, {
          "sources": ["<!@(node native/sources.cjs unsupported)"]
        }]
      ]
    }
  ]
}
