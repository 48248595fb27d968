// https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface MeshplaneProviderConfig {
  /**
  * Base URL of the Meshplane API, e.g. `https://meshplane.example.com`. Defaults to the MESHPLANE_ENDPOINT environment variable.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs#endpoint MeshplaneProvider#endpoint}
  */
  readonly endpoint?: string;
  /**
  * API key of a Meshplane service account (`mp_…`). Defaults to the MESHPLANE_API_KEY environment variable. Without a key, inside GitHub Actions (a job with `permissions: id-token: write`), the provider exchanges the job's OIDC ID token instead: no secret is stored.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs#api_key MeshplaneProvider#api_key}
  */
  readonly apiKey?: string;
  /**
  * The audience the GitHub Actions ID token is requested for; the service account's federation rule must name the same. Defaults to MESHPLANE_OIDC_AUDIENCE, else the endpoint URL. Used only without an API key.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs#oidc_audience MeshplaneProvider#oidc_audience}
  */
  readonly oidcAudience?: string;
  /**
  * The service account to act as when the ID token matches the federation rules of several. Defaults to MESHPLANE_SERVICE_ACCOUNT. Used only without an API key.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs#service_account MeshplaneProvider#service_account}
  */
  readonly serviceAccount?: string;
  /**
  * Alias name
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs#alias MeshplaneProvider#alias}
  */
  readonly alias?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs meshplane}
*/
export class MeshplaneProvider extends cdktf.TerraformProvider {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "meshplane";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a MeshplaneProvider resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the MeshplaneProvider to import
  * @param importFromId The id of the existing MeshplaneProvider that should be imported. Refer to the {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the MeshplaneProvider to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "meshplane", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/meshplane/meshplane/0.1.0/docs meshplane} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options MeshplaneProviderConfig = {}
  */
  public constructor(scope: Construct, id: string, config: MeshplaneProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'meshplane',
      terraformGeneratorMetadata: {
        providerName: 'meshplane',
        providerVersion: '0.1.0',
        providerVersionConstraint: '~> 0.1'
      },
      terraformProviderSource: 'meshplane/meshplane'
    });
    this._endpoint = config.endpoint;
    this._apiKey = config.apiKey;
    this._oidcAudience = config.oidcAudience;
    this._serviceAccount = config.serviceAccount;
    this._alias = config.alias;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // endpoint - computed: false, optional: true, required: false
  private _endpoint?: string; 
  public get endpoint() {
    return this._endpoint;
  }
  public set endpoint(value: string | undefined) {
    this._endpoint = value;
  }
  public resetEndpoint() {
    this._endpoint = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get endpointInput() {
    return this._endpoint;
  }

  // api_key - computed: false, optional: true, required: false
  private _apiKey?: string; 
  public get apiKey() {
    return this._apiKey;
  }
  public set apiKey(value: string | undefined) {
    this._apiKey = value;
  }
  public resetApiKey() {
    this._apiKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get apiKeyInput() {
    return this._apiKey;
  }

  // oidc_audience - computed: false, optional: true, required: false
  private _oidcAudience?: string; 
  public get oidcAudience() {
    return this._oidcAudience;
  }
  public set oidcAudience(value: string | undefined) {
    this._oidcAudience = value;
  }
  public resetOidcAudience() {
    this._oidcAudience = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get oidcAudienceInput() {
    return this._oidcAudience;
  }

  // service_account - computed: false, optional: true, required: false
  private _serviceAccount?: string; 
  public get serviceAccount() {
    return this._serviceAccount;
  }
  public set serviceAccount(value: string | undefined) {
    this._serviceAccount = value;
  }
  public resetServiceAccount() {
    this._serviceAccount = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get serviceAccountInput() {
    return this._serviceAccount;
  }

  // alias - computed: false, optional: true, required: false
  private _alias?: string; 
  public override get alias() {
    return this._alias;
  }
  public override set alias(value: string | undefined) {
    this._alias = value;
  }
  public resetAlias() {
    this._alias = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aliasInput() {
    return this._alias;
  }

  // =========
  // SYNTHESIS
  // =========

  protected override synthesizeAttributes(): { [name: string]: any } {
    return {
      endpoint: cdktf.stringToTerraform(this._endpoint),
      api_key: cdktf.stringToTerraform(this._apiKey),
      oidc_audience: cdktf.stringToTerraform(this._oidcAudience),
      service_account: cdktf.stringToTerraform(this._serviceAccount),
      alias: cdktf.stringToTerraform(this._alias),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      endpoint: {
        value: cdktf.stringToHclTerraform(this._endpoint),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      api_key: {
        value: cdktf.stringToHclTerraform(this._apiKey),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      oidc_audience: {
        value: cdktf.stringToHclTerraform(this._oidcAudience),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      service_account: {
        value: cdktf.stringToHclTerraform(this._serviceAccount),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      alias: {
        value: cdktf.stringToHclTerraform(this._alias),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
