# Certificates, keys and kubeconfigs for the local cluster (sourced by `up`).
# One CA signs serving and client certificates; every component authenticates
# with a client certificate, the way kubeadm sets a cluster up.

issue_cert() {
  local name=$1 subject=$2 ext=$3
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI_DIR/$name.key" 2>/dev/null
  openssl req -new -key "$PKI_DIR/$name.key" -subj "$subject" -out "$PKI_DIR/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI_DIR/$name.csr" -CA "$PKI_DIR/ca.crt" -CAkey "$PKI_DIR/ca.key" \
    -CAcreateserial -days 3650 -sha256 -out "$PKI_DIR/$name.crt" \
    -extfile <(printf '%s\n' "$ext") 2>/dev/null
  rm -f "$PKI_DIR/$name.csr"
}

client_cert() {
  issue_cert "$1" "$2" "keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
}

write_kubeconfig() {
  local file=$1 user=$2
  local kc=("$BIN_DIR/kubectl" --kubeconfig "$file")
  "${kc[@]}" config set-cluster airforce-local --server="https://127.0.0.1:$APISERVER_PORT" \
    --certificate-authority="$PKI_DIR/ca.crt" --embed-certs=true >/dev/null
  "${kc[@]}" config set-credentials "$user" --client-certificate="$PKI_DIR/$user.crt" \
    --client-key="$PKI_DIR/$user.key" --embed-certs=true >/dev/null
  "${kc[@]}" config set-context airforce-local --cluster=airforce-local --user="$user" >/dev/null
  "${kc[@]}" config use-context airforce-local >/dev/null
  chmod 600 "$file"
}

create_pki() {
  mkdir -p "$PKI_DIR"
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI_DIR/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$PKI_DIR/ca.key" -subj "/CN=airforce-local-ca" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$PKI_DIR/ca.crt" 2>/dev/null

  issue_cert apiserver "/CN=kube-apiserver" "keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  issue_cert etcd "/CN=etcd" "keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=IP:127.0.0.1,DNS:localhost"
  client_cert apiserver-etcd-client "/CN=kube-apiserver-etcd-client"
  client_cert admin "/O=system:masters/CN=kubernetes-admin"
  client_cert kube-controller-manager "/CN=system:kube-controller-manager"
  client_cert kube-scheduler "/CN=system:kube-scheduler"
  # kwok plays every kubelet at once, so it gets the node-wide rights of an admin,
  # and serves the kubelet API (port-forward) the API server calls on 127.0.0.1.
  client_cert kwok "/O=system:masters/CN=kwok-controller"
  issue_cert kwok-serving "/CN=kwok-kubelet" "keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost"

  openssl genrsa -out "$PKI_DIR/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI_DIR/sa.key" -pubout -out "$PKI_DIR/sa.pub" 2>/dev/null
  chmod 600 "$PKI_DIR"/*.key

  write_kubeconfig "$KUBECONFIG_PATH" admin
  for component in kube-controller-manager kube-scheduler kwok; do
    write_kubeconfig "$STATE_DIR/$component.kubeconfig" "$component"
  done
}
