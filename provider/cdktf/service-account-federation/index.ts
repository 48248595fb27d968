// https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/service_account_federation
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface ServiceAccountFederationConfig extends cdktf.TerraformMetaArguments {
  /**
  * The service account the matching tokens act as. Changing it replaces the rule.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/service_account_federation#service_account ServiceAccountFederation#service_account}
  */
  readonly serviceAccount: string;
  /**
  * The issuer, exactly as its tokens' `iss`: `https://token.actions.githubusercontent.com` for GitHub Actions. The control plane must trust it (MESHPLANE_OIDC_ISSUERS).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/service_account_federation#issuer ServiceAccountFederation#issuer}
  */
  readonly issuer: string;
  /**
  * The audience the token must be issued for: the provider's `oidc_audience` in the workflow (by default the control plane's URL).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/service_account_federation#audience ServiceAccountFederation#audience}
  */
  readonly audience: string;
  /**
  * Claim name → the exact value the token must carry, all of them, e.g. `{ repository = "acme/retail-sales", ref = "refs/heads/main" }`; `environment`, `workflow_ref`, `job_workflow_ref`, `repository_owner`… as GitHub documents them.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/service_account_federation#claims ServiceAccountFederation#claims}
  */
  readonly claims: { [key: string]: string };
  /**
  * Free text describing the rule. Defaults to empty. Changing it replaces the rule.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/service_account_federation#description ServiceAccountFederation#description}
  */
  readonly description?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/service_account_federation meshplane_service_account_federation}
*/
export class ServiceAccountFederation extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "meshplane_service_account_federation";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a ServiceAccountFederation resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the ServiceAccountFederation to import
  * @param importFromId The id of the existing ServiceAccountFederation that should be imported. Refer to the {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/service_account_federation#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the ServiceAccountFederation to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "meshplane_service_account_federation", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs/resources/service_account_federation meshplane_service_account_federation} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options ServiceAccountFederationConfig
  */
  public constructor(scope: Construct, id: string, config: ServiceAccountFederationConfig) {
    super(scope, id, {
      terraformResourceType: 'meshplane_service_account_federation',
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
    this._serviceAccount = config.serviceAccount;
    this._issuer = config.issuer;
    this._audience = config.audience;
    this._claims = config.claims;
    this._description = config.description;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // service_account - computed: false, optional: false, required: true
  private _serviceAccount?: string; 
  public get serviceAccount() {
    return this.getStringAttribute('service_account');
  }
  public set serviceAccount(value: string) {
    this._serviceAccount = value;
  }
  // Temporarily expose input value. Use with caution.
  public get serviceAccountInput() {
    return this._serviceAccount;
  }

  // issuer - computed: false, optional: false, required: true
  private _issuer?: string; 
  public get issuer() {
    return this.getStringAttribute('issuer');
  }
  public set issuer(value: string) {
    this._issuer = value;
  }
  // Temporarily expose input value. Use with caution.
  public get issuerInput() {
    return this._issuer;
  }

  // audience - computed: false, optional: false, required: true
  private _audience?: string; 
  public get audience() {
    return this.getStringAttribute('audience');
  }
  public set audience(value: string) {
    this._audience = value;
  }
  // Temporarily expose input value. Use with caution.
  public get audienceInput() {
    return this._audience;
  }

  // claims - computed: false, optional: false, required: true
  private _claims?: { [key: string]: string }; 
  public get claims() {
    return this.getStringMapAttribute('claims');
  }
  public set claims(value: { [key: string]: string }) {
    this._claims = value;
  }
  // Temporarily expose input value. Use with caution.
  public get claimsInput() {
    return this._claims;
  }

  // description - computed: true, optional: true, required: false
  private _description?: string; 
  public get description() {
    return this.getStringAttribute('description');
  }
  public set description(value: string) {
    this._description = value;
  }
  public resetDescription() {
    this._description = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get descriptionInput() {
    return this._description;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // issuer_trusted - computed: true, optional: false, required: false
  public get issuerTrusted() {
    return this.getBooleanAttribute('issuer_trusted');
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // =========
  // SYNTHESIS
  // =========

  protected override synthesizeAttributes(): { [name: string]: any } {
    return {
      service_account: cdktf.stringToTerraform(this._serviceAccount),
      issuer: cdktf.stringToTerraform(this._issuer),
      audience: cdktf.stringToTerraform(this._audience),
      claims: cdktf.hashMapper(cdktf.stringToTerraform)(this._claims),
      description: cdktf.stringToTerraform(this._description),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      service_account: {
        value: cdktf.stringToHclTerraform(this._serviceAccount),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      issuer: {
        value: cdktf.stringToHclTerraform(this._issuer),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      audience: {
        value: cdktf.stringToHclTerraform(this._audience),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      claims: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._claims),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      description: {
        value: cdktf.stringToHclTerraform(this._description),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
