/// ControlGap's own description of one OWASP Non-Human Identities risk, and what an
/// organisation does about it.
///
/// These texts are written for ControlGap and are not OWASP's wording; only the identifiers,
/// ranks and titles come from OWASP. Like the catalog they go into, they are shared under
/// CC BY-SA 4.0.
struct NHIRiskNarrative: Equatable {
  var id: String
  var overview: String
  var guidance: String

  static let all: [NHIRiskNarrative] = [
    NHIRiskNarrative(
      id: "NHI1",
      overview: "Service accounts, API keys and other machine credentials tend to outlive the"
        + " systems, projects and people they were created for. When nobody retires them, they"
        + " keep their original access while nobody watches them. An attacker who finds such a"
        + " forgotten credential has a quiet way into systems and data.",
      guidance: "Give every non-human identity a recorded owner and purpose, and review the"
        + " inventory on a schedule. Tie deprovisioning to the end of the workload, project or"
        + " supplier contract, and to the departure of the person who owns the identity."
        + " Disable credentials that have not been used for a set period, and delete them once"
        + " it is clear that nothing depends on them."),
    NHIRiskNarrative(
      id: "NHI2",
      overview: "Keys, tokens, passwords and certificates used by software often end up where"
        + " they do not belong: committed to repositories, baked into container images, written"
        + " to logs or pasted into tickets and chat. Anyone who can read those places can then"
        + " act as the workload. A leak is hard to undo, because copies spread to clones,"
        + " backups and caches.",
      guidance: "Keep secrets in a managed secrets store and hand them to workloads at run"
        + " time instead of storing them with code or configuration. Scan repositories, build"
        + " output, images and logs for secrets, and block commits that contain them. Treat"
        + " any exposed secret as compromised: revoke and replace it, then check how it was"
        + " used."),
    NHIRiskNarrative(
      id: "NHI3",
      overview: "Organisations give credentials and permissions to outside software: SaaS"
        + " integrations, hosted build services, developer-tool extensions and OAuth apps. If"
        + " one of these suppliers is breached or ships a malicious update, the access it was"
        + " given can be abused and the tokens it holds can be stolen. The organisation's"
        + " exposure then rests on the supplier's security.",
      guidance: "Keep a register of the third-party applications and integrations that hold"
        + " your credentials or tokens, with the scopes each was granted. Grant the narrowest"
        + " scopes and shortest token lifetimes each integration supports, and review them"
        + " periodically. Follow suppliers' security notices, and be ready to revoke and"
        + " rotate everything a compromised integration could reach."),
    NHIRiskNarrative(
      id: "NHI4",
      overview: "Connections between services are sometimes authenticated with weak or"
        + " outdated methods, such as static shared passwords, basic credentials or deprecated"
        + " OAuth flows. Such credentials are easier to steal, replay or guess than modern"
        + " alternatives. A weak method lets an attacker pass as a trusted service.",
      guidance: "Prefer short-lived, verifiable credentials for workloads, such as signed"
        + " client assertions, workload identity federation or mutual TLS. Retire deprecated"
        + " protocols and flows, with a date for removing each one still in use. Check new"
        + " integrations against a list of approved authentication methods."),
    NHIRiskNarrative(
      id: "NHI5",
      overview: "Non-human identities are often given far more access than their task needs,"
        + " because broad roles are quicker to set up than precise ones. When such an identity"
        + " is compromised, the attacker inherits every permission it holds, so a small breach"
        + " becomes a large one.",
      guidance: "Grant each non-human identity only the permissions its function requires,"
        + " scoped to the resources it works on. Compare granted permissions with those"
        + " actually used and remove the difference on a schedule. Require a documented review"
        + " for any identity that holds administrative or wildcard permissions."),
    NHIRiskNarrative(
      id: "NHI6",
      overview: "Build and deployment pipelines need credentials for cloud accounts, and these"
        + " are often static keys kept in pipeline settings, from where they can leak through"
        + " repositories, logs or badly configured jobs. Federated sign-in with OpenID Connect"
        + " removes the stored keys, but only when the cloud account checks the token's claims"
        + " strictly. A trust policy that accepts any repository or branch lets others deploy"
        + " into production.",
      guidance: "Replace static cloud keys in pipelines with short-lived credentials issued"
        + " through OpenID Connect federation. Restrict each trust policy to the expected"
        + " issuer, audience, repository and branch or environment. Give deployment roles only"
        + " the permissions deployment needs, and keep the roles for production separate."),
    NHIRiskNarrative(
      id: "NHI7",
      overview: "Many machine credentials are issued with no expiry, or with one years away,"
        + " and are seldom rotated. Whoever obtains such a secret keeps access long after the"
        + " leak itself. The longer a credential stays valid, the wider the window for misuse.",
      guidance: "Set maximum lifetimes for keys, tokens and certificates, and prefer"
        + " credentials that are issued on demand and expire within hours. Rotate the static"
        + " secrets that remain automatically, on a fixed schedule. Report credentials older"
        + " than the allowed age as findings."),
    NHIRiskNarrative(
      id: "NHI8",
      overview: "Development, test, staging and production should be kept apart, yet the same"
        + " service accounts or keys are sometimes used in several of them. Test environments"
        + " are usually less protected, so a credential taken from one can open production."
        + " Shared identities also hide which environment an action came from.",
      guidance: "Issue separate non-human identities and secrets for each environment, and"
        + " make sure a credential from one environment is refused in the others. Keep"
        + " production secrets out of non-production systems and pipelines. Review the access"
        + " policies of any identity that spans environments."),
    NHIRiskNarrative(
      id: "NHI9",
      overview: "One service account or key is sometimes shared by several applications or"
        + " components to save setup effort. If any of them is compromised, the attacker can"
        + " use the shared identity to reach everything else that relies on it. Sharing also"
        + " makes it hard to tell which component did what, and to rotate the credential"
        + " without breaking the others.",
      guidance: "Give each application, service and component its own identity and"
        + " credentials. Look for credentials used from more than one workload and split"
        + " them. Record the owner of each identity, so that rotating or revoking it affects"
        + " only the workload it belongs to."),
    NHIRiskNarrative(
      id: "NHI10",
      overview: "Staff sometimes sign in with a service account, API key or other non-human"
        + " credential to do work by hand, for example to get around multi-factor"
        + " authentication, approval steps or the narrower permissions of their own accounts."
        + " The activity then looks like automation and cannot be traced to a person, and it"
        + " usually runs with more privilege than that person should have. It also spreads the"
        + " credential to laptops, shell histories and notes.",
      guidance: "Require people to use their own accounts, with MFA, for interactive work, and"
        + " offer a just-in-time elevation path for tasks that need more access. Restrict where"
        + " and how non-human credentials can be used, for example to known workloads or"
        + " network locations, so that interactive sign-ins with them fail. Alert on"
        + " interactive or unusual use of service accounts and follow up each case."),
  ]
}
