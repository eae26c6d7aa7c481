
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubectl-airforce' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubectl-airforce'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubectl-airforce' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('mission', 'mission', [CompletionResultType]::ParameterValue, 'Validate and submit missions')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow missions live: stages, flight tasks and pods as a tree')
            [CompletionResult]::new('node', 'node', [CompletionResultType]::ParameterValue, 'Set and list aircraft: nodes described by aircraft.mil/ labels')
            [CompletionResult]::new('weapon', 'weapon', [CompletionResultType]::ParameterValue, 'Check which aircraft can carry a weapon')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install the CRDs and the operator into the cluster')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove what `install` created')
            [CompletionResult]::new('crds', 'crds', [CompletionResultType]::ParameterValue, 'Print the CustomResourceDefinitions as YAML')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run the operator''s controllers in this process')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Explain the aircraft-scheduler''s decisions')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-airforce;mission' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check mission files offline and report every problem')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Validate, then create or update missions with server-side apply')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the missions with their phase, progress, retries and age')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show missions by name, as a table or as whole objects (-o yaml|json)')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a mission in detail: fields, tree, conditions and recent events')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete missions with their stages, flight tasks and pods (asks first; -y skips)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Stop running missions, or one stage or task of one')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Run the failed flight tasks of failed missions again; what succeeded is kept')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Open a stage waiting at its approval gate')
            [CompletionResult]::new('reject', 'reject', [CompletionResultType]::ParameterValue, 'Fail a stage waiting at its approval gate; the failure policy applies')
            [CompletionResult]::new('suspend', 'suspend', [CompletionResultType]::ParameterValue, 'Hold missions: no new stage or flight task starts; running ones finish')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Carry on with suspended missions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-airforce;mission;validate' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Mission and Weapon files to check: a file, a directory (its *.yaml and *.yml files), or - for standard input. Repeat -f or list several files')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Mission and Weapon files to check: a file, a directory (its *.yaml and *.yml files), or - for standard input. Repeat -f or list several files')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: text for people, json for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: text for people, json for programs')
            [CompletionResult]::new('--pod-security', '--pod-security', [CompletionResultType]::ParameterName, 'The Pod Security level the task pods must pass (the level a namespace enforces with pod-security.kubernetes.io/enforce): what in a pod template breaks it is an error. Without it, everything that breaks baseline or restricted is a warning. The containers the operator adds always pass restricted')
            [CompletionResult]::new('--armoury', '--armoury', [CompletionResultType]::ParameterName, 'The namespace of shared weapons, searched after the mission''s own for a weapon reference that names no namespace; as the operator''s `armoury` setting, "" for none')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never contact a cluster: weapon references are checked only against the Weapon files given with -f, which are then taken as the complete set')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;submit' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Mission files, and the Weapon files they use: files, directories, or - for stdin')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Mission files, and the Weapon files they use: files, directories, or - for stdin')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only preview: "client" prints what would be sent, "server" has the API server check everything without saving it')
            [CompletionResult]::new('--validate', '--validate', [CompletionResultType]::ParameterName, 'How the offline checks count: "strict" stops on any problem, "warn" reports them and lets the API server''s own schema and rules decide, "ignore" skips them')
            [CompletionResult]::new('--armoury', '--armoury', [CompletionResultType]::ParameterName, 'The namespace of shared weapons, searched after the mission''s own for a weapon reference that names no namespace; as the operator''s `armoury` setting, "" for none')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Take over fields another manager set, as `kubectl apply --server-side --force-conflicts`')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Then follow the submitted mission''s live tree until it finishes, as `watch` does (exit code 0 when it succeeds, 1 when it fails); needs exactly one mission')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Then follow the submitted mission''s live tree until it finishes, as `watch` does (exit code 0 when it succeeds, 1 when it fails); needs exactly one mission')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;list' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only missions whose labels match, as kubectl''s -l (e.g. team=blue,priority!=low)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Only missions whose labels match, as kubectl''s -l (e.g. team=blue,priority!=low)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'List the missions of every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'List the missions of every namespace')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;get' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;describe' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Show each replica of a task with replicas, not only the task''s counts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;delete' {
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the missions and everything they own are gone (--wait=false returns at once)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait (e.g. 30s, 2m)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Delete every mission in the namespace')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed when not on a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;cancel' {
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stop only this stage of the mission (its spec name); the rest flies on and the mission''s failure policy decides what follows')
            [CompletionResult]::new('--task', '--task', [CompletionResultType]::ParameterName, 'With --stage: stop only this task of the stage (its spec name, or `name-N` for a replica)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed when not on a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;retry' {
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Retry only this failed stage of a running mission: its failed tasks run again while the rest of the mission flies')
            [CompletionResult]::new('--task', '--task', [CompletionResultType]::ParameterName, 'With --stage: retry only this failed task of a stage that still runs')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('--include-succeeded', '--include-succeeded', [CompletionResultType]::ParameterName, 'With --stage: run the stage''s succeeded tasks again too, each once the tasks it depends on have run again')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;approve' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note kept with the approval, in the stage''s status and Event')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note kept with the approval, in the stage''s status and Event')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;reject' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, kept in the stage''s status and Event')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;suspend' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Also stop the flight tasks running now (their weapons are told to Abort, their pods deleted); they run again on resume without spending a retry')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;resume' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;mission;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check mission files offline and report every problem')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Validate, then create or update missions with server-side apply')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the missions with their phase, progress, retries and age')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show missions by name, as a table or as whole objects (-o yaml|json)')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a mission in detail: fields, tree, conditions and recent events')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete missions with their stages, flight tasks and pods (asks first; -y skips)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Stop running missions, or one stage or task of one')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Run the failed flight tasks of failed missions again; what succeeded is kept')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Open a stage waiting at its approval gate')
            [CompletionResult]::new('reject', 'reject', [CompletionResultType]::ParameterValue, 'Fail a stage waiting at its approval gate; the failure policy applies')
            [CompletionResult]::new('suspend', 'suspend', [CompletionResultType]::ParameterValue, 'Hold missions: no new stage or flight task starts; running ones finish')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Carry on with suspended missions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-airforce;mission;help;validate' {
            break
        }
        'kubectl-airforce;mission;help;submit' {
            break
        }
        'kubectl-airforce;mission;help;list' {
            break
        }
        'kubectl-airforce;mission;help;get' {
            break
        }
        'kubectl-airforce;mission;help;describe' {
            break
        }
        'kubectl-airforce;mission;help;delete' {
            break
        }
        'kubectl-airforce;mission;help;cancel' {
            break
        }
        'kubectl-airforce;mission;help;retry' {
            break
        }
        'kubectl-airforce;mission;help;approve' {
            break
        }
        'kubectl-airforce;mission;help;reject' {
            break
        }
        'kubectl-airforce;mission;help;suspend' {
            break
        }
        'kubectl-airforce;mission;help;resume' {
            break
        }
        'kubectl-airforce;mission;help;help' {
            break
        }
        'kubectl-airforce;watch' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Watch the missions of every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Watch the missions of every namespace')
            [CompletionResult]::new('--no-follow', '--no-follow', [CompletionResultType]::ParameterName, 'Print the tree once and exit, instead of following the missions until they finish')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Show each replica of a task with replicas, not only the task''s counts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;node' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('label', 'label', [CompletionResultType]::ParameterValue, 'Set aircraft labels and annotations on nodes, checked, showing each change')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the aircraft: type, status, fuel, zone, hardpoints, maintenance, task on board')
            [CompletionResult]::new('clear-marks', 'clear-marks', [CompletionResultType]::ParameterValue, 'Take fault marks off aircraft that a person knows to be sound')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-airforce;node;label' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Label every node this label selector matches instead of naming nodes')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Label every node this label selector matches instead of naming nodes')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Aircraft type (label aircraft.mil/type), e.g. j20')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Availability (label aircraft.mil/status)')
            [CompletionResult]::new('--fuel', '--fuel', [CompletionResultType]::ParameterName, 'Fuel level in percent, 0 to 100 (label aircraft.mil/fuel.level); aircraft.mil/fuel.status follows it: high above 70, medium above 30, else low')
            [CompletionResult]::new('--hardpoints', '--hardpoints', [CompletionResultType]::ParameterName, 'Hardpoints available, 0 to 32 (label aircraft.mil/hardpoint.available)')
            [CompletionResult]::new('--zone', '--zone', [CompletionResultType]::ParameterName, 'Zone the aircraft is based in (label aircraft.mil/location.zone), e.g. east-sea')
            [CompletionResult]::new('--maintenance', '--maintenance', [CompletionResultType]::ParameterName, 'Days until the next maintenance (annotation aircraft.mil/maintenance)')
            [CompletionResult]::new('--capability', '--capability', [CompletionResultType]::ParameterName, 'A capability: NAME sets label aircraft.mil/capability.NAME=true, NAME=false sets it false, NAME- removes it; repeat the flag or separate with commas')
            [CompletionResult]::new('--compatible-weapons', '--compatible-weapons', [CompletionResultType]::ParameterName, 'Weapons the airframe is cleared to carry, comma-separated (annotation aircraft.mil/compatible-weapons), e.g. pl-15,pl-10')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Apply the aircraft.mil/ labels and annotations of the Nodes in these YAML files (a Node, or a List of Nodes, per document; - reads stdin) to the existing nodes of the same names. Keys a file leaves out stay as they are; a node the cluster does not have is an error, as node label never creates nodes. The table shows only the keys that change')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only preview: "client" reads the nodes and shows the changes, "server" also has the API server check every patch; neither writes anything')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table of every key before and after, or JSON for programs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table of every key before and after, or JSON for programs')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;node;list' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only nodes matching this label selector, as kubectl''s -l (e.g. aircraft.mil/location.zone=east-sea,aircraft.mil/status=ready)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Only nodes matching this label selector, as kubectl''s -l (e.g. aircraft.mil/location.zone=east-sea,aircraft.mil/status=ready)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: wide adds capabilities, compatible weapons and whether the weapon images are pre-pulled; json and yaml print the aircraft as the table reads them (numbers as numbers); name prints node/NAME')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: wide adds capabilities, compatible weapons and whether the weapon images are pre-pulled; json and yaml print the aircraft as the table reads them (numbers as numbers); name prints node/NAME')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list nodes that are not aircraft (no aircraft.mil/type label)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;node;clear-marks' {
            [CompletionResult]::new('--task', '--task', [CompletionResultType]::ParameterName, 'Only the marks this task made, as NAMESPACE/FLIGHTTASK (as node list shows them)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Clear every aircraft that carries a mark')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be cleared without clearing it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;node;help' {
            [CompletionResult]::new('label', 'label', [CompletionResultType]::ParameterValue, 'Set aircraft labels and annotations on nodes, checked, showing each change')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the aircraft: type, status, fuel, zone, hardpoints, maintenance, task on board')
            [CompletionResult]::new('clear-marks', 'clear-marks', [CompletionResultType]::ParameterValue, 'Take fault marks off aircraft that a person knows to be sound')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-airforce;node;help;label' {
            break
        }
        'kubectl-airforce;node;help;list' {
            break
        }
        'kubectl-airforce;node;help;clear-marks' {
            break
        }
        'kubectl-airforce;node;help;help' {
            break
        }
        'kubectl-airforce;weapon' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Tell whether weapons can be carried: by an aircraft type, a node, or a mission''s tasks')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run one simulated weapon that serves the Weapon Interface Protocol over gRPC')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Ask every weapon of a task''s running pod for its state, live')
            [CompletionResult]::new('self-check', 'self-check', [CompletionResultType]::ParameterValue, 'Have every weapon of a task''s running pod check itself')
            [CompletionResult]::new('versions', 'versions', [CompletionResultType]::ParameterValue, 'Print a weapon''s version history: which is current, which are deprecated')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-airforce;weapon;check' {
            [CompletionResult]::new('--aircraft-type', '--aircraft-type', [CompletionResultType]::ParameterName, 'Check against this aircraft type (the node label aircraft.mil/type, e.g. j20)')
            [CompletionResult]::new('--hardpoint', '--hardpoint', [CompletionResultType]::ParameterName, 'With --aircraft-type: the hardpoint type it would hang on (internal-bay, side-bay, wing, …)')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Check against this node''s aircraft.mil/type label and compatible-weapons annotation')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Files with Weapons to use before the cluster''s, and Missions whose every task is checked')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Files with Weapons to use before the cluster''s, and Missions whose every task is checked')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--armoury', '--armoury', [CompletionResultType]::ParameterName, 'The namespace of shared weapons, searched after the mission''s own for a weapon reference that names no namespace; as the operator''s `armoury` setting, "" for none')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;weapon;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Serve the WeaponService and the gRPC health service on this address')
            [CompletionResult]::new('--metrics-addr', '--metrics-addr', [CompletionResultType]::ParameterName, 'Serve /healthz, /readyz and /metrics on this address; "" or "off" disables [default: 0.0.0.0:9102]')
            [CompletionResult]::new('--weapon-type', '--weapon-type', [CompletionResultType]::ParameterName, 'The class of weapon (set by the sidecar injection as WEAPON_TYPE)')
            [CompletionResult]::new('--weapon-version', '--weapon-version', [CompletionResultType]::ParameterName, 'The weapon''s version, reported in its status (the image tag of the sidecar)')
            [CompletionResult]::new('--quantity', '--quantity', [CompletionResultType]::ParameterName, 'Rounds loaded by an Initialize that names none (the sidecar''s QUANTITY)')
            [CompletionResult]::new('--mount-points', '--mount-points', [CompletionResultType]::ParameterName, 'Hardpoints, comma-separated, for an Initialize that names none (the sidecar''s MOUNT_POINTS)')
            [CompletionResult]::new('--warm-up', '--warm-up', [CompletionResultType]::ParameterName, 'How long the weapon warms up after Initialize before it is READY')
            [CompletionResult]::new('--self-check-time', '--self-check-time', [CompletionResultType]::ParameterName, 'How long a self-check takes')
            [CompletionResult]::new('--lock-time', '--lock-time', [CompletionResultType]::ParameterName, 'How long locking a target takes')
            [CompletionResult]::new('--launch-time', '--launch-time', [CompletionResultType]::ParameterName, 'How long a launch takes')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'Make every self-check fail with this message and put the weapon in FAULT (for tests)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;weapon;status' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;weapon;self-check' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;weapon;versions' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;weapon;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Tell whether weapons can be carried: by an aircraft type, a node, or a mission''s tasks')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run one simulated weapon that serves the Weapon Interface Protocol over gRPC')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Ask every weapon of a task''s running pod for its state, live')
            [CompletionResult]::new('self-check', 'self-check', [CompletionResultType]::ParameterValue, 'Have every weapon of a task''s running pod check itself')
            [CompletionResult]::new('versions', 'versions', [CompletionResultType]::ParameterValue, 'Print a weapon''s version history: which is current, which are deprecated')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-airforce;weapon;help;check' {
            break
        }
        'kubectl-airforce;weapon;help;serve' {
            break
        }
        'kubectl-airforce;weapon;help;status' {
            break
        }
        'kubectl-airforce;weapon;help;self-check' {
            break
        }
        'kubectl-airforce;weapon;help;versions' {
            break
        }
        'kubectl-airforce;weapon;help;help' {
            break
        }
        'kubectl-airforce;install' {
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'The operator image')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'How many operator replicas to run (one leads, the others stand by)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for --dry-run')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for --dry-run')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the CRDs to be Established (e.g. 30s, 2m)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('--crds-only', '--crds-only', [CompletionResultType]::ParameterName, 'Install only the API: the CRDs, the PriorityClasses task pods use, the admission policy of approval gates and the roles that fold the API into `view` and `edit`, without the operator (enough to submit missions, and to `run` the operator in a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the manifests instead of applying them; needs no cluster')
            [CompletionResult]::new('--monitoring', '--monitoring', [CompletionResultType]::ParameterName, 'Also add PodMonitors so a Prometheus operator scrapes the operator and the weapon sidecars (without its CRDs, everything else is installed and the monitors are named as missing)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;uninstall' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the CRDs and the namespace to be gone (e.g. 30s, 2m)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Also remove the CRDs while missions exist, deleting them and everything they own')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed with --force when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed with --force when not on a terminal)')
            [CompletionResult]::new('--keep-crds', '--keep-crds', [CompletionResultType]::ParameterName, 'Keep the CRDs and every object of their kinds; remove only the operator')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;crds' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;run' {
            [CompletionResult]::new('--leader-election-namespace', '--leader-election-namespace', [CompletionResultType]::ParameterName, 'The namespace of the leader Lease (default: $POD_NAMESPACE, then -n, then "default")')
            [CompletionResult]::new('--simulator-image', '--simulator-image', [CompletionResultType]::ParameterName, 'The image of the simulated weapon: the sidecar of a Weapon that names no image runs it as `weapon serve`. `install` sets it to the operator''s own image')
            [CompletionResult]::new('--metrics-addr', '--metrics-addr', [CompletionResultType]::ParameterName, 'Serve /healthz, /readyz and /metrics on this address; "" or "off" disables [default: 0.0.0.0:8080, skipped with a warning when the port is taken]')
            [CompletionResult]::new('--scheduler', '--scheduler', [CompletionResultType]::ParameterName, 'Who places task pods: "aircraft" is the in-process aircraft-scheduler (filters and weighted scores, every decision explained); "default" leaves them to kube-scheduler through node affinity built from the same requirements')
            [CompletionResult]::new('--scheduler-config', '--scheduler-config', [CompletionResultType]::ParameterName, 'The aircraft-scheduler''s weights, fuel threshold and zone adjacency (YAML; every field optional, see examples/scheduler-config.yaml), or the same written as a KubeSchedulerConfiguration (examples/kube-scheduler-config.yaml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The operator''s settings: how long fault marks last and how many aircraft may carry them, and the time limits of tasks that set none (YAML; every field optional, see examples/operator-config.yaml)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('--leader-elect', '--leader-elect', [CompletionResultType]::ParameterName, 'Run the controllers only while holding the Lease kubectl-airforce-operator, so that of several replicas exactly one acts; the others wait as standbys')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;schedule' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show why a flight task''s pod was placed on its aircraft, or why it waits')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-airforce;schedule;explain' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--scheduler-config', '--scheduler-config', [CompletionResultType]::ParameterName, 'The scheduler configuration to evaluate a pending pod with (the one `run` uses)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;schedule;help' {
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show why a flight task''s pod was placed on its aircraft, or why it waits')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-airforce;schedule;help;explain' {
            break
        }
        'kubectl-airforce;schedule;help;help' {
            break
        }
        'kubectl-airforce;completion' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to work in (default: the context''s namespace, then "default"; for install and uninstall, the operator''s namespace, default airforce-system)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this user (impersonation, as kubectl --as); the kubeconfig''s user must be allowed to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'With --as: act as a member of this group; repeat for more')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr: -v info, -vv debug, -vvv trace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-airforce;help' {
            [CompletionResult]::new('mission', 'mission', [CompletionResultType]::ParameterValue, 'Validate and submit missions')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow missions live: stages, flight tasks and pods as a tree')
            [CompletionResult]::new('node', 'node', [CompletionResultType]::ParameterValue, 'Set and list aircraft: nodes described by aircraft.mil/ labels')
            [CompletionResult]::new('weapon', 'weapon', [CompletionResultType]::ParameterValue, 'Check which aircraft can carry a weapon')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install the CRDs and the operator into the cluster')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove what `install` created')
            [CompletionResult]::new('crds', 'crds', [CompletionResultType]::ParameterValue, 'Print the CustomResourceDefinitions as YAML')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run the operator''s controllers in this process')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Explain the aircraft-scheduler''s decisions')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-airforce;help;mission' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check mission files offline and report every problem')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Validate, then create or update missions with server-side apply')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the missions with their phase, progress, retries and age')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show missions by name, as a table or as whole objects (-o yaml|json)')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a mission in detail: fields, tree, conditions and recent events')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete missions with their stages, flight tasks and pods (asks first; -y skips)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Stop running missions, or one stage or task of one')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Run the failed flight tasks of failed missions again; what succeeded is kept')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Open a stage waiting at its approval gate')
            [CompletionResult]::new('reject', 'reject', [CompletionResultType]::ParameterValue, 'Fail a stage waiting at its approval gate; the failure policy applies')
            [CompletionResult]::new('suspend', 'suspend', [CompletionResultType]::ParameterValue, 'Hold missions: no new stage or flight task starts; running ones finish')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Carry on with suspended missions')
            break
        }
        'kubectl-airforce;help;mission;validate' {
            break
        }
        'kubectl-airforce;help;mission;submit' {
            break
        }
        'kubectl-airforce;help;mission;list' {
            break
        }
        'kubectl-airforce;help;mission;get' {
            break
        }
        'kubectl-airforce;help;mission;describe' {
            break
        }
        'kubectl-airforce;help;mission;delete' {
            break
        }
        'kubectl-airforce;help;mission;cancel' {
            break
        }
        'kubectl-airforce;help;mission;retry' {
            break
        }
        'kubectl-airforce;help;mission;approve' {
            break
        }
        'kubectl-airforce;help;mission;reject' {
            break
        }
        'kubectl-airforce;help;mission;suspend' {
            break
        }
        'kubectl-airforce;help;mission;resume' {
            break
        }
        'kubectl-airforce;help;watch' {
            break
        }
        'kubectl-airforce;help;node' {
            [CompletionResult]::new('label', 'label', [CompletionResultType]::ParameterValue, 'Set aircraft labels and annotations on nodes, checked, showing each change')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the aircraft: type, status, fuel, zone, hardpoints, maintenance, task on board')
            [CompletionResult]::new('clear-marks', 'clear-marks', [CompletionResultType]::ParameterValue, 'Take fault marks off aircraft that a person knows to be sound')
            break
        }
        'kubectl-airforce;help;node;label' {
            break
        }
        'kubectl-airforce;help;node;list' {
            break
        }
        'kubectl-airforce;help;node;clear-marks' {
            break
        }
        'kubectl-airforce;help;weapon' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Tell whether weapons can be carried: by an aircraft type, a node, or a mission''s tasks')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run one simulated weapon that serves the Weapon Interface Protocol over gRPC')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Ask every weapon of a task''s running pod for its state, live')
            [CompletionResult]::new('self-check', 'self-check', [CompletionResultType]::ParameterValue, 'Have every weapon of a task''s running pod check itself')
            [CompletionResult]::new('versions', 'versions', [CompletionResultType]::ParameterValue, 'Print a weapon''s version history: which is current, which are deprecated')
            break
        }
        'kubectl-airforce;help;weapon;check' {
            break
        }
        'kubectl-airforce;help;weapon;serve' {
            break
        }
        'kubectl-airforce;help;weapon;status' {
            break
        }
        'kubectl-airforce;help;weapon;self-check' {
            break
        }
        'kubectl-airforce;help;weapon;versions' {
            break
        }
        'kubectl-airforce;help;install' {
            break
        }
        'kubectl-airforce;help;uninstall' {
            break
        }
        'kubectl-airforce;help;crds' {
            break
        }
        'kubectl-airforce;help;run' {
            break
        }
        'kubectl-airforce;help;schedule' {
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show why a flight task''s pod was placed on its aircraft, or why it waits')
            break
        }
        'kubectl-airforce;help;schedule;explain' {
            break
        }
        'kubectl-airforce;help;completion' {
            break
        }
        'kubectl-airforce;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
