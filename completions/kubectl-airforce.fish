# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_airforce_global_optspecs
    string join \n kubeconfig= context= n/namespace= as= as-group= v/verbose h/help V/version
end

function __fish_kubectl_airforce_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_airforce_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_airforce_using_subcommand
    set -l cmd (__fish_kubectl_airforce_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -f -a "mission" -d 'Validate and submit missions'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -f -a "watch" -d 'Follow missions live: stages, flight tasks and pods as a tree'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -f -a "node" -d 'Set and list aircraft: nodes described by aircraft.mil/ labels'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -f -a "weapon" -d 'Check which aircraft can carry a weapon'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -f -a "install" -d 'Install the CRDs and the operator into the cluster'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -f -a "uninstall" -d 'Remove what `install` created'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -f -a "crds" -d 'Print the CustomResourceDefinitions as YAML'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -f -a "run" -d 'Run the operator\'s controllers in this process'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -f -a "schedule" -d 'Explain the aircraft-scheduler\'s decisions'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -s h -l help -d 'Print help'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "validate" -d 'Check mission files offline and report every problem'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "submit" -d 'Validate, then create or update missions with server-side apply'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "list" -d 'List the missions with their phase, progress, retries and age'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "get" -d 'Show missions by name, as a table or as whole objects (-o yaml|json)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "describe" -d 'Show a mission in detail: fields, tree, conditions and recent events'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "delete" -d 'Delete missions with their stages, flight tasks and pods (asks first; -y skips)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "cancel" -d 'Stop running missions, or one stage or task of one'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "retry" -d 'Run the failed flight tasks of failed missions again; what succeeded is kept'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "approve" -d 'Open a stage waiting at its approval gate'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "reject" -d 'Fail a stage waiting at its approval gate; the failure policy applies'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "suspend" -d 'Hold missions: no new stage or flight task starts; running ones finish'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "resume" -d 'Carry on with suspended missions'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and not __fish_seen_subcommand_from validate submit list get describe delete cancel retry approve reject suspend resume help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -s f -l filename -d 'Mission and Weapon files to check: a file, a directory (its *.yaml and *.yml files), or - for standard input. Repeat -f or list several files' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -s o -l output -d 'Output format: text for people, json for programs' -r -f -a "text\t'One line per problem with a hint, then a count'
json\t'A JSON object with the diagnostics and the counts'"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -l pod-security -d 'The Pod Security level the task pods must pass (the level a namespace enforces with pod-security.kubernetes.io/enforce): what in a pod template breaks it is an error. Without it, everything that breaks baseline or restricted is a warning. The containers the operator adds always pass restricted' -r -f -a "privileged\t'Anything goes'
baseline\t'No known privilege escalation: no host namespaces, privileged containers, host paths or ports, added capabilities beyond the defaults'
restricted\t'Hardened: also non-root, no privilege escalation, every capability dropped, a seccomp profile, and only ordinary volume types'"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -l armoury -d 'The namespace of shared weapons, searched after the mission\'s own for a weapon reference that names no namespace; as the operator\'s `armoury` setting, "" for none' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -l offline -d 'Never contact a cluster: weapon references are checked only against the Weapon files given with -f, which are then taken as the complete set'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -s f -l filename -d 'Mission files, and the Weapon files they use: files, directories, or - for stdin' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -l dry-run -d 'Only preview: "client" prints what would be sent, "server" has the API server check everything without saving it' -r -f -a "client\t''
server\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -l validate -d 'How the offline checks count: "strict" stops on any problem, "warn" reports them and lets the API server\'s own schema and rules decide, "ignore" skips them' -r -f -a "strict\t''
warn\t''
ignore\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -l armoury -d 'The namespace of shared weapons, searched after the mission\'s own for a weapon reference that names no namespace; as the operator\'s `armoury` setting, "" for none' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -l force-conflicts -d 'Take over fields another manager set, as `kubectl apply --server-side --force-conflicts`'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -s w -l watch -d 'Then follow the submitted mission\'s live tree until it finishes, as `watch` does (exit code 0 when it succeeds, 1 when it fails); needs exactly one mission'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -s h -l help -d 'Print help'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from submit" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from list" -s l -l selector -d 'Only missions whose labels match, as kubectl\'s -l (e.g. team=blue,priority!=low)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
wide\t''
yaml\t''
json\t''
name\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from list" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from list" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from list" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from list" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from list" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from list" -s A -l all-namespaces -d 'List the missions of every namespace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format' -r -f -a "table\t''
wide\t''
yaml\t''
json\t''
name\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from get" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from get" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from get" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from get" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from get" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from get" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from describe" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from describe" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from describe" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from describe" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from describe" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from describe" -l replicas -d 'Show each replica of a task with replicas, not only the task\'s counts'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from describe" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from describe" -s h -l help -d 'Print help'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from describe" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -l wait -d 'Wait until the missions and everything they own are gone (--wait=false returns at once)' -r -f -a "true\t''
false\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -l timeout -d 'How long to wait (e.g. 30s, 2m)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -l all -d 'Delete every mission in the namespace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation (needed when not on a terminal)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from cancel" -l stage -d 'Stop only this stage of the mission (its spec name); the rest flies on and the mission\'s failure policy decides what follows' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from cancel" -l task -d 'With --stage: stop only this task of the stage (its spec name, or `name-N` for a replica)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from cancel" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from cancel" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from cancel" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from cancel" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from cancel" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from cancel" -s y -l yes -d 'Do not ask for confirmation (needed when not on a terminal)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from cancel" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from cancel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from cancel" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from retry" -l stage -d 'Retry only this failed stage of a running mission: its failed tasks run again while the rest of the mission flies' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from retry" -l task -d 'With --stage: retry only this failed task of a stage that still runs' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from retry" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from retry" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from retry" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from retry" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from retry" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from retry" -l include-succeeded -d 'With --stage: run the stage\'s succeeded tasks again too, each once the tasks it depends on have run again'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from retry" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from retry" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from retry" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from approve" -s m -l message -d 'A note kept with the approval, in the stage\'s status and Event' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from approve" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from approve" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from approve" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from approve" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from approve" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from approve" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from approve" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from reject" -l reason -d 'Why, kept in the stage\'s status and Event' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from reject" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from reject" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from reject" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from reject" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from reject" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from reject" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from reject" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from reject" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from suspend" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from suspend" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from suspend" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from suspend" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from suspend" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from suspend" -l now -d 'Also stop the flight tasks running now (their weapons are told to Abort, their pods deleted); they run again on resume without spending a retry'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from suspend" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from suspend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from suspend" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from resume" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from resume" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from resume" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from resume" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from resume" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from resume" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from resume" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check mission files offline and report every problem'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "submit" -d 'Validate, then create or update missions with server-side apply'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the missions with their phase, progress, retries and age'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show missions by name, as a table or as whole objects (-o yaml|json)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "describe" -d 'Show a mission in detail: fields, tree, conditions and recent events'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete missions with their stages, flight tasks and pods (asks first; -y skips)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "cancel" -d 'Stop running missions, or one stage or task of one'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "retry" -d 'Run the failed flight tasks of failed missions again; what succeeded is kept'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "approve" -d 'Open a stage waiting at its approval gate'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "reject" -d 'Fail a stage waiting at its approval gate; the failure policy applies'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "suspend" -d 'Hold missions: no new stage or flight task starts; running ones finish'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Carry on with suspended missions'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand mission; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand watch" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand watch" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand watch" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand watch" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand watch" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand watch" -s A -l all-namespaces -d 'Watch the missions of every namespace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand watch" -l no-follow -d 'Print the tree once and exit, instead of following the missions until they finish'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand watch" -l replicas -d 'Show each replica of a task with replicas, not only the task\'s counts'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand watch" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand watch" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -s h -l help -d 'Print help'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -f -a "label" -d 'Set aircraft labels and annotations on nodes, checked, showing each change'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -f -a "list" -d 'List the aircraft: type, status, fuel, zone, hardpoints, maintenance, task on board'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -f -a "clear-marks" -d 'Take fault marks off aircraft that a person knows to be sound'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and not __fish_seen_subcommand_from label list clear-marks help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -s l -l selector -d 'Label every node this label selector matches instead of naming nodes' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l type -d 'Aircraft type (label aircraft.mil/type), e.g. j20' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l status -d 'Availability (label aircraft.mil/status)' -r -f -a "ready\t''
busy\t''
maintenance\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l fuel -d 'Fuel level in percent, 0 to 100 (label aircraft.mil/fuel.level); aircraft.mil/fuel.status follows it: high above 70, medium above 30, else low' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l hardpoints -d 'Hardpoints available, 0 to 32 (label aircraft.mil/hardpoint.available)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l zone -d 'Zone the aircraft is based in (label aircraft.mil/location.zone), e.g. east-sea' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l maintenance -d 'Days until the next maintenance (annotation aircraft.mil/maintenance)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l capability -d 'A capability: NAME sets label aircraft.mil/capability.NAME=true, NAME=false sets it false, NAME- removes it; repeat the flag or separate with commas' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l compatible-weapons -d 'Weapons the airframe is cleared to carry, comma-separated (annotation aircraft.mil/compatible-weapons), e.g. pl-15,pl-10' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l from-file -d 'Apply the aircraft.mil/ labels and annotations of the Nodes in these YAML files (a Node, or a List of Nodes, per document; - reads stdin) to the existing nodes of the same names. Keys a file leaves out stay as they are; a node the cluster does not have is an error, as node label never creates nodes. The table shows only the keys that change' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l dry-run -d 'Only preview: "client" reads the nodes and shows the changes, "server" also has the API server check every patch; neither writes anything' -r -f -a "client\t''
server\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -s o -l output -d 'Output format: a table of every key before and after, or JSON for programs' -r -f -a "table\t''
json\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from label" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from list" -s l -l selector -d 'Only nodes matching this label selector, as kubectl\'s -l (e.g. aircraft.mil/location.zone=east-sea,aircraft.mil/status=ready)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: wide adds capabilities, compatible weapons and whether the weapon images are pre-pulled; json and yaml print the aircraft as the table reads them (numbers as numbers); name prints node/NAME' -r -f -a "wide\t''
json\t''
yaml\t''
name\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from list" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from list" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from list" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from list" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from list" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from list" -l all -d 'Also list nodes that are not aircraft (no aircraft.mil/type label)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from clear-marks" -l task -d 'Only the marks this task made, as NAMESPACE/FLIGHTTASK (as node list shows them)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from clear-marks" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from clear-marks" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from clear-marks" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from clear-marks" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from clear-marks" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from clear-marks" -l all -d 'Clear every aircraft that carries a mark'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from clear-marks" -l dry-run -d 'Show what would be cleared without clearing it'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from clear-marks" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from clear-marks" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from clear-marks" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "label" -d 'Set aircraft labels and annotations on nodes, checked, showing each change'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the aircraft: type, status, fuel, zone, hardpoints, maintenance, task on board'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "clear-marks" -d 'Take fault marks off aircraft that a person knows to be sound'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -s h -l help -d 'Print help'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -f -a "check" -d 'Tell whether weapons can be carried: by an aircraft type, a node, or a mission\'s tasks'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -f -a "serve" -d 'Run one simulated weapon that serves the Weapon Interface Protocol over gRPC'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -f -a "status" -d 'Ask every weapon of a task\'s running pod for its state, live'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -f -a "self-check" -d 'Have every weapon of a task\'s running pod check itself'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -f -a "versions" -d 'Print a weapon\'s version history: which is current, which are deprecated'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and not __fish_seen_subcommand_from check serve status self-check versions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -l aircraft-type -d 'Check against this aircraft type (the node label aircraft.mil/type, e.g. j20)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -l hardpoint -d 'With --aircraft-type: the hardpoint type it would hang on (internal-bay, side-bay, wing, …)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -l node -d 'Check against this node\'s aircraft.mil/type label and compatible-weapons annotation' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -s f -l filename -d 'Files with Weapons to use before the cluster\'s, and Missions whose every task is checked' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -l armoury -d 'The namespace of shared weapons, searched after the mission\'s own for a weapon reference that names no namespace; as the operator\'s `armoury` setting, "" for none' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l listen -d 'Serve the WeaponService and the gRPC health service on this address' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l metrics-addr -d 'Serve /healthz, /readyz and /metrics on this address; "" or "off" disables [default: 0.0.0.0:9102]' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l weapon-type -d 'The class of weapon (set by the sidecar injection as WEAPON_TYPE)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l weapon-version -d 'The weapon\'s version, reported in its status (the image tag of the sidecar)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l quantity -d 'Rounds loaded by an Initialize that names none (the sidecar\'s QUANTITY)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l mount-points -d 'Hardpoints, comma-separated, for an Initialize that names none (the sidecar\'s MOUNT_POINTS)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l warm-up -d 'How long the weapon warms up after Initialize before it is READY' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l self-check-time -d 'How long a self-check takes' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l lock-time -d 'How long locking a target takes' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l launch-time -d 'How long a launch takes' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l fault -d 'Make every self-check fail with this message and put the weapon in FAULT (for tests)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from status" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from status" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from status" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from status" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from status" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from self-check" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from self-check" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from self-check" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from self-check" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from self-check" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from self-check" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from self-check" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from self-check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from self-check" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from versions" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from versions" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from versions" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from versions" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from versions" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from versions" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from versions" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from versions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from versions" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from help" -f -a "check" -d 'Tell whether weapons can be carried: by an aircraft type, a node, or a mission\'s tasks'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Run one simulated weapon that serves the Weapon Interface Protocol over gRPC'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from help" -f -a "status" -d 'Ask every weapon of a task\'s running pod for its state, live'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from help" -f -a "self-check" -d 'Have every weapon of a task\'s running pod check itself'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from help" -f -a "versions" -d 'Print a weapon\'s version history: which is current, which are deprecated'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand weapon; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -l image -d 'The operator image' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -l replicas -d 'How many operator replicas to run (one leads, the others stand by)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -s o -l output -d 'Output format for --dry-run' -r -f -a "yaml\t'A multi-document YAML stream'
json\t'A `v1` `List` holding every object, as `kubectl get -o json` prints several'"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -l timeout -d 'How long to wait for the CRDs to be Established (e.g. 30s, 2m)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -l crds-only -d 'Install only the API: the CRDs, the PriorityClasses task pods use, the admission policy of approval gates and the roles that fold the API into `view` and `edit`, without the operator (enough to submit missions, and to `run` the operator in a terminal)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -l dry-run -d 'Print the manifests instead of applying them; needs no cluster'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -l monitoring -d 'Also add PodMonitors so a Prometheus operator scrapes the operator and the weapon sidecars (without its CRDs, everything else is installed and the monitors are named as missing)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand install" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -l timeout -d 'How long to wait for the CRDs and the namespace to be gone (e.g. 30s, 2m)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -l force -d 'Also remove the CRDs while missions exist, deleting them and everything they own'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -s y -l yes -d 'Do not ask for confirmation (needed with --force when not on a terminal)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -l keep-crds -d 'Keep the CRDs and every object of their kinds; remove only the operator'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -s h -l help -d 'Print help'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand uninstall" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand crds" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand crds" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand crds" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand crds" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand crds" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand crds" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand crds" -s h -l help -d 'Print help'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand crds" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -l leader-election-namespace -d 'The namespace of the leader Lease (default: $POD_NAMESPACE, then -n, then "default")' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -l simulator-image -d 'The image of the simulated weapon: the sidecar of a Weapon that names no image runs it as `weapon serve`. `install` sets it to the operator\'s own image' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -l metrics-addr -d 'Serve /healthz, /readyz and /metrics on this address; "" or "off" disables [default: 0.0.0.0:8080, skipped with a warning when the port is taken]' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -l scheduler -d 'Who places task pods: "aircraft" is the in-process aircraft-scheduler (filters and weighted scores, every decision explained); "default" leaves them to kube-scheduler through node affinity built from the same requirements' -r -f -a "aircraft\t''
default\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -l scheduler-config -d 'The aircraft-scheduler\'s weights, fuel threshold and zone adjacency (YAML; every field optional, see examples/scheduler-config.yaml), or the same written as a KubeSchedulerConfiguration (examples/kube-scheduler-config.yaml)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -l config -d 'The operator\'s settings: how long fault marks last and how many aircraft may carry them, and the time limits of tasks that set none (YAML; every field optional, see examples/operator-config.yaml)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -l leader-elect -d 'Run the controllers only while holding the Lease kubectl-airforce-operator, so that of several replicas exactly one acts; the others wait as standbys'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand run" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and not __fish_seen_subcommand_from explain help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and not __fish_seen_subcommand_from explain help" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and not __fish_seen_subcommand_from explain help" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and not __fish_seen_subcommand_from explain help" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and not __fish_seen_subcommand_from explain help" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and not __fish_seen_subcommand_from explain help" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and not __fish_seen_subcommand_from explain help" -s h -l help -d 'Print help'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and not __fish_seen_subcommand_from explain help" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and not __fish_seen_subcommand_from explain help" -f -a "explain" -d 'Show why a flight task\'s pod was placed on its aircraft, or why it waits'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and not __fish_seen_subcommand_from explain help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from explain" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from explain" -l scheduler-config -d 'The scheduler configuration to evaluate a pending pod with (the one `run` uses)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from explain" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from explain" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from explain" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from explain" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from explain" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from explain" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from explain" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "explain" -d 'Show why a flight task\'s pod was placed on its aircraft, or why it waits'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand completion" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand completion" -l context -d 'The kubeconfig context to use (default: the current context)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand completion" -s n -l namespace -d 'The namespace to work in (default: the context\'s namespace, then "default"; for install and uninstall, the operator\'s namespace, default airforce-system)' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand completion" -l as -d 'Act as this user (impersonation, as kubectl --as); the kubeconfig\'s user must be allowed to impersonate' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand completion" -l as-group -d 'With --as: act as a member of this group; repeat for more' -r
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand completion" -s v -l verbose -d 'More logging on stderr: -v info, -vv debug, -vvv trace'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand completion" -s V -l version -d 'Print version'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and not __fish_seen_subcommand_from mission watch node weapon install uninstall crds run schedule completion help" -f -a "mission" -d 'Validate and submit missions'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and not __fish_seen_subcommand_from mission watch node weapon install uninstall crds run schedule completion help" -f -a "watch" -d 'Follow missions live: stages, flight tasks and pods as a tree'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and not __fish_seen_subcommand_from mission watch node weapon install uninstall crds run schedule completion help" -f -a "node" -d 'Set and list aircraft: nodes described by aircraft.mil/ labels'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and not __fish_seen_subcommand_from mission watch node weapon install uninstall crds run schedule completion help" -f -a "weapon" -d 'Check which aircraft can carry a weapon'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and not __fish_seen_subcommand_from mission watch node weapon install uninstall crds run schedule completion help" -f -a "install" -d 'Install the CRDs and the operator into the cluster'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and not __fish_seen_subcommand_from mission watch node weapon install uninstall crds run schedule completion help" -f -a "uninstall" -d 'Remove what `install` created'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and not __fish_seen_subcommand_from mission watch node weapon install uninstall crds run schedule completion help" -f -a "crds" -d 'Print the CustomResourceDefinitions as YAML'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and not __fish_seen_subcommand_from mission watch node weapon install uninstall crds run schedule completion help" -f -a "run" -d 'Run the operator\'s controllers in this process'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and not __fish_seen_subcommand_from mission watch node weapon install uninstall crds run schedule completion help" -f -a "schedule" -d 'Explain the aircraft-scheduler\'s decisions'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and not __fish_seen_subcommand_from mission watch node weapon install uninstall crds run schedule completion help" -f -a "completion" -d 'Print a shell completion script'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and not __fish_seen_subcommand_from mission watch node weapon install uninstall crds run schedule completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "validate" -d 'Check mission files offline and report every problem'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "submit" -d 'Validate, then create or update missions with server-side apply'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "list" -d 'List the missions with their phase, progress, retries and age'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "get" -d 'Show missions by name, as a table or as whole objects (-o yaml|json)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "describe" -d 'Show a mission in detail: fields, tree, conditions and recent events'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "delete" -d 'Delete missions with their stages, flight tasks and pods (asks first; -y skips)'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "cancel" -d 'Stop running missions, or one stage or task of one'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "retry" -d 'Run the failed flight tasks of failed missions again; what succeeded is kept'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "approve" -d 'Open a stage waiting at its approval gate'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "reject" -d 'Fail a stage waiting at its approval gate; the failure policy applies'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "suspend" -d 'Hold missions: no new stage or flight task starts; running ones finish'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from mission" -f -a "resume" -d 'Carry on with suspended missions'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from node" -f -a "label" -d 'Set aircraft labels and annotations on nodes, checked, showing each change'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from node" -f -a "list" -d 'List the aircraft: type, status, fuel, zone, hardpoints, maintenance, task on board'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from node" -f -a "clear-marks" -d 'Take fault marks off aircraft that a person knows to be sound'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from weapon" -f -a "check" -d 'Tell whether weapons can be carried: by an aircraft type, a node, or a mission\'s tasks'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from weapon" -f -a "serve" -d 'Run one simulated weapon that serves the Weapon Interface Protocol over gRPC'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from weapon" -f -a "status" -d 'Ask every weapon of a task\'s running pod for its state, live'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from weapon" -f -a "self-check" -d 'Have every weapon of a task\'s running pod check itself'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from weapon" -f -a "versions" -d 'Print a weapon\'s version history: which is current, which are deprecated'
complete -c kubectl-airforce -n "__fish_kubectl_airforce_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "explain" -d 'Show why a flight task\'s pod was placed on its aircraft, or why it waits'
