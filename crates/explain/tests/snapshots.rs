//! Snapshots of the `explain --json` value for representative inputs (insta, JSON form): a cause
//! the message names, an ambiguous message, an unknown text, a context-dependent GitLab push,
//! a decorated Actions log, and a kubelet event.

use ghcr_doctor_explain::explain_str;

#[test]
fn snapshot_missing_scope_classic_engine() {
    let e = explain_str(
        "$ docker pull ghcr.io/acme/app:1.2\n\
         Error response from daemon: pull access denied for ghcr.io/acme/app, repository does not exist or may \
         require 'docker login': denied: permission_denied: The token provided does not match expected scopes.\n",
    );
    insta::assert_json_snapshot!(e.to_json());
}

#[test]
fn snapshot_denied_denied_is_ambiguous() {
    let e =
        explain_str(r#"Error response from daemon: Head "https://ghcr.io/v2/acme/app/manifests/1.2": denied: denied"#);
    insta::assert_json_snapshot!(e.to_json());
}

#[test]
fn snapshot_unknown() {
    let e = explain_str("npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry.npmjs.org/@acme%2fnope\n");
    insta::assert_json_snapshot!(e.to_json());
}

#[test]
fn snapshot_gitlab_token_expired_during_push() {
    let e = explain_str(
        "$ docker push registry.gitlab.com/acme/big:1.0\n\
         The push refers to repository [registry.gitlab.com/acme/big]\n\
         8d3ac3489996: Pushing [=======================>    ]  1.2GB/2.6GB\n\
         5f70bf18a086: Pushed\n\
         unauthorized: authentication required\n",
    );
    insta::assert_json_snapshot!(e.to_json());
}

#[test]
fn snapshot_actions_log_with_ansi_and_crlf() {
    let e = explain_str(
        "2024-05-01T10:00:00.1234567Z ##[group]Run docker/build-push-action@v5\r\n\
         2024-05-01T10:00:01.1234567Z #7 pushing layers\r\n\
         2024-05-01T10:00:02.1234567Z #7 ERROR: failed to push ghcr.io/acme/site:pr-42: denied: permission_denied: write_package\r\n\
         2024-05-01T10:00:03.1234567Z \x1b[31;1m##[error]buildx failed with: ERROR: failed to solve: failed to push ghcr.io/acme/site:pr-42: denied: permission_denied: write_package\x1b[0m\r\n",
    );
    insta::assert_json_snapshot!(e.to_json());
}

#[test]
fn snapshot_kubelet_event() {
    let e = explain_str(
        "  Warning  Failed  3s  kubelet  Failed to pull image \"ghcr.io/acme/app:1.2\": rpc error: code = Unknown desc = \
         failed to pull and unpack image \"ghcr.io/acme/app:1.2\": failed to resolve reference \"ghcr.io/acme/app:1.2\": \
         failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized\n\
         \x20 Warning  Failed  3s  kubelet  Error: ErrImagePull\n",
    );
    insta::assert_json_snapshot!(e.to_json());
}
