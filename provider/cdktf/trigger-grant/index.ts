// https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/trigger_grant
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface TriggerGrantConfig extends cdktf.TerraformMetaArguments {
  /**
  * The producer's namespace.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/trigger_grant#upstream_namespace TriggerGrant#upstream_namespace}
  */
  readonly upstreamNamespace: string;
  /**
  * Only this flow of the upstream namespace; omit for all of them.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/trigger_grant#upstream_flow TriggerGrant#upstream_flow}
  */
  readonly upstreamFlow?: string;
  /**
  * The consumer's namespace.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/trigger_grant#downstream_namespace TriggerGrant#downstream_namespace}
  */
  readonly downstreamNamespace: string;
  /**
  * What is allowed: `trigger` (flow triggers) and/or `subflow` (core.subflow calls).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/trigger_grant#kinds TriggerGrant#kinds}
  */
  readonly kinds: string[];
}

/**
* Represents a {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/trigger_grant meshplane_trigger_grant}
*/
export class TriggerGrant extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "meshplane_trigger_grant";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a TriggerGrant resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the TriggerGrant to import
  * @param importFromId The id of the existing TriggerGrant that should be imported. Refer to the {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/trigger_grant#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the TriggerGrant to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "meshplane_trigger_grant", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/trigger_grant meshplane_trigger_grant} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options TriggerGrantConfig
  */
  public constructor(scope: Construct, id: string, config: TriggerGrantConfig) {
    super(scope, id, {
      terraformResourceType: 'meshplane_trigger_grant',
      terraformGeneratorMetadata: {
        providerName: 'meshplane',
        providerVersion: '0.1.0',
        providerVersionConstraint: '~> 0.1'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._upstreamNamespace = config.upstreamNamespace;
    this._upstreamFlow = config.upstreamFlow;
    this._downstreamNamespace = config.downstreamNamespace;
    this._kinds = config.kinds;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // upstream_namespace - computed: false, optional: false, required: true
  private _upstreamNamespace?: string; 
  public get upstreamNamespace() {
    return this.getStringAttribute('upstream_namespace');
  }
  public set upstreamNamespace(value: string) {
    this._upstreamNamespace = value;
  }
  // Temporarily expose input value. Use with caution.
  public get upstreamNamespaceInput() {
    return this._upstreamNamespace;
  }

  // upstream_flow - computed: false, optional: true, required: false
  private _upstreamFlow?: string; 
  public get upstreamFlow() {
    return this.getStringAttribute('upstream_flow');
  }
  public set upstreamFlow(value: string) {
    this._upstreamFlow = value;
  }
  public resetUpstreamFlow() {
    this._upstreamFlow = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get upstreamFlowInput() {
    return this._upstreamFlow;
  }

  // downstream_namespace - computed: false, optional: false, required: true
  private _downstreamNamespace?: string; 
  public get downstreamNamespace() {
    return this.getStringAttribute('downstream_namespace');
  }
  public set downstreamNamespace(value: string) {
    this._downstreamNamespace = value;
  }
  // Temporarily expose input value. Use with caution.
  public get downstreamNamespaceInput() {
    return this._downstreamNamespace;
  }

  // kinds - computed: false, optional: false, required: true
  private _kinds?: string[]; 
  public get kinds() {
    return cdktf.Fn.tolist(this.getListAttribute('kinds'));
  }
  public set kinds(value: string[]) {
    this._kinds = value;
  }
  // Temporarily expose input value. Use with caution.
  public get kindsInput() {
    return this._kinds;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // created_by - computed: true, optional: false, required: false
  public get createdBy() {
    return this.getStringAttribute('created_by');
  }

  // =========
  // SYNTHESIS
  // =========

  protected override synthesizeAttributes(): { [name: string]: any } {
    return {
      upstream_namespace: cdktf.stringToTerraform(this._upstreamNamespace),
      upstream_flow: cdktf.stringToTerraform(this._upstreamFlow),
      downstream_namespace: cdktf.stringToTerraform(this._downstreamNamespace),
      kinds: cdktf.listMapper(cdktf.stringToTerraform, false)(this._kinds),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      upstream_namespace: {
        value: cdktf.stringToHclTerraform(this._upstreamNamespace),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      upstream_flow: {
        value: cdktf.stringToHclTerraform(this._upstreamFlow),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      downstream_namespace: {
        value: cdktf.stringToHclTerraform(this._downstreamNamespace),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      kinds: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._kinds),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
